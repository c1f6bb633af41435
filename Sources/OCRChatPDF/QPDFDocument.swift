import CQPDF
import Foundation

/// A PDF being written through qpdf: the one place that holds the raw `CQPDFDocument` handle,
/// freed in `deinit`. Used by one thread for one `write`, never shared.
final class QPDFDocument {
    private let handle: OpaquePointer

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        cqpdf_document_free(handle)
    }

    /// A new PDF without pages.
    static func empty(font: Data) throws -> QPDFDocument {
        var handle: OpaquePointer?
        var message: UnsafeMutablePointer<CChar>?
        let status = font.withUnsafeBytes { raw in
            cqpdf_document_create(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, &handle, &message)
        }
        try check(status, message, call: "creating the PDF")
        guard let handle else { throw SearchablePDFError.nativeFailure(call: "cqpdf_document_create", detail: "no document") }
        return QPDFDocument(handle: handle)
    }

    /// An existing PDF, opened with `password` when it is encrypted.
    static func open(_ data: Data, password: String?, font: Data = Data()) throws -> QPDFDocument {
        var handle: OpaquePointer?
        var message: UnsafeMutablePointer<CChar>?
        let status = data.withUnsafeBytes { pdf in
            font.withUnsafeBytes { font in
                cqpdf_document_open(pdf.bindMemory(to: CChar.self).baseAddress, pdf.count, password,
                                    font.bindMemory(to: UInt8.self).baseAddress, font.count, &handle, &message)
            }
        }
        try check(status, message, call: "opening the source PDF")
        guard let handle else { throw SearchablePDFError.nativeFailure(call: "cqpdf_document_open", detail: "no document") }
        return QPDFDocument(handle: handle)
    }

    var pageCount: Int { Int(cqpdf_document_page_count(handle)) }

    /// The crop box of page `index` in its user space, and its /Rotate (0, 90, 180 or 270).
    func pageBox(_ index: Int) throws -> PDFPageBox {
        var box = CQPDFPageBox()
        var message: UnsafeMutablePointer<CChar>?
        try Self.check(cqpdf_page_box(handle, Int32(index), &box, &message), message, call: "reading page \(index + 1)")
        return PDFPageBox(x0: box.x0, y0: box.y0, x1: box.x1, y1: box.y1, rotate: Int(box.rotate))
    }

    /// Appends a page of the given size in points, filled with the image in `image` (the source
    /// file's bytes; `tiffPage` for a TIFF, nil otherwise), turned clockwise by `rotation` degrees.
    func addImagePage(image: Data, tiffPage: Int?, rotation: Int, width: Double, height: Double, page: Int) throws {
        var info = CQPDFImageInfo()
        var message: UnsafeMutablePointer<CChar>?
        let status = image.withUnsafeBytes { raw in
            cqpdf_document_add_image_page(handle, raw.bindMemory(to: UInt8.self).baseAddress, raw.count,
                                          Int32(tiffPage ?? -1), Int32(rotation), width, height, &info, &message)
        }
        if status == CQPDF_ERROR_IMAGE {
            throw SearchablePDFError.imageFailed(page: page, detail: Self.take(message))
        }
        try Self.check(status, message, call: "adding page \(page + 1)")
    }

    /// Declares the codes that stand for characters beyond the BMP; before the first text layer.
    func setWideCharacters(_ wide: WideCharacterCodes) throws {
        guard !wide.assigned.isEmpty else { return }
        let codes = wide.assigned.map { CUnsignedShort($0.code) }, scalars = wide.assigned.map { CUnsignedInt($0.scalar) }
        var message: UnsafeMutablePointer<CChar>?
        try Self.check(cqpdf_document_set_wide_characters(handle, codes, scalars, codes.count, &message), message,
                       call: "declaring characters beyond the BMP")
    }

    /// Lays `content` (drawn in a `width` × `height` space, font /F1) over page `index` through `matrix`.
    func addTextLayer(page index: Int, content: String, width: Double, height: Double, matrix: AffineMatrix) throws {
        var message: UnsafeMutablePointer<CChar>?
        let values = [matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f]
        let bytes = Array(content.utf8)
        let status = bytes.withUnsafeBufferPointer { text in
            values.withUnsafeBufferPointer { matrix in
                text.withMemoryRebound(to: CChar.self) { text in
                    cqpdf_page_add_text_layer(handle, Int32(index), text.baseAddress, text.count, width, height,
                                              matrix.baseAddress, &message)
                }
            }
        }
        try Self.check(status, message, call: "adding the text layer of page \(index + 1)")
    }

    /// The bytes page `index` draws as visible text and as invisible text (render mode 3).
    func textCounts(page index: Int) throws -> PageTextCounts {
        var visible: Int64 = 0, invisible: Int64 = 0
        var message: UnsafeMutablePointer<CChar>?
        try Self.check(cqpdf_page_text_counts(handle, Int32(index), &visible, &invisible, &message), message,
                       call: "reading the text of page \(index + 1)")
        return PageTextCounts(visible: Int(visible), invisible: Int(invisible))
    }

    /// Takes the invisible text (an earlier OCR layer) off page `index`; returns the text objects removed.
    @discardableResult
    func removeInvisibleText(page index: Int) throws -> Int {
        var removed: Int32 = 0
        var message: UnsafeMutablePointer<CChar>?
        try Self.check(cqpdf_page_remove_invisible_text(handle, Int32(index), &removed, &message), message,
                       call: "removing the old text layer of page \(index + 1)")
        return Int(removed)
    }

    /// Sets the document's language (`/Lang`, a BCP 47 tag) unless the source PDF has one.
    func setLanguage(_ tag: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        try Self.check(cqpdf_document_set_language(handle, tag, &message), message, call: "setting the language")
    }

    /// The finished PDF's bytes.
    func write() throws -> Data {
        var bytes: UnsafeMutablePointer<UInt8>?
        var length = 0
        var message: UnsafeMutablePointer<CChar>?
        try Self.check(cqpdf_document_write(handle, &bytes, &length, &message), message, call: "writing the PDF")
        guard let bytes else { throw SearchablePDFError.nativeFailure(call: "cqpdf_document_write", detail: "no output") }
        defer { cqpdf_buffer_free(bytes) }
        return Data(bytes: bytes, count: length)
    }

    /// qpdf's version.
    static var version: String { String(cString: cqpdf_version()) }

    private static func take(_ message: UnsafeMutablePointer<CChar>?) -> String {
        guard let message else { return "no detail" }
        defer { cqpdf_string_free(message) }
        return String(cString: message)
    }

    private static func check(_ status: CQPDFStatus, _ message: UnsafeMutablePointer<CChar>?, call: String) throws {
        if status == CQPDF_OK {
            if let message { cqpdf_string_free(message) }
            return
        }
        let detail = take(message)
        switch status {
        case CQPDF_ERROR_PASSWORD: throw SearchablePDFError.passwordRequired(detail: detail)
        case CQPDF_ERROR_OPEN: throw SearchablePDFError.unreadableSource(detail: detail)
        default: throw SearchablePDFError.nativeFailure(call: call, detail: detail)
        }
    }
}

/// A page's crop box in its own user space (points) and its /Rotate.
struct PDFPageBox: Equatable {
    var x0: Double, y0: Double, x1: Double, y1: Double
    var rotate: Int
}
