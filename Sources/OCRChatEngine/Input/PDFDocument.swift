import CPoppler
import Foundation
import OCRChatModel

/// A PDF opened with Poppler: the one owner of the `CPopplerDocument` handle, freed in `deinit`.
///
/// The shim serialises every call on one document with its own lock, so the handle may be used
/// from any thread, one call at a time.
final class PDFDocument: @unchecked Sendable {
    private let handle: OpaquePointer

    /// Opens a PDF from a file when there is one (Poppler then reads only what it needs), else from
    /// memory; `password` opens an encrypted one.
    init(data: Data, file: URL?, password: String?) throws {
        var document: OpaquePointer?
        var message: UnsafeMutablePointer<CChar>?
        let status: CPopplerStatus
        if let file {
            status = cpoppler_document_open_file(file.path, password, &document, &message)
        } else {
            status = data.withUnsafeBytes { raw in
                cpoppler_document_open(raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count,
                                       password, &document, &message)
            }
        }
        let detail = PDFDocument.take(message)
        switch status {
        case CPOPPLER_OK:
            guard let document else {
                throw EngineError.nativeFailure(call: "cpoppler_document_open", detail: "no document returned")
            }
            handle = document
        case CPOPPLER_ERROR_PASSWORD:
            throw EngineError.passwordRequired(wrongPasswordGiven: password != nil)
        case CPOPPLER_ERROR_OPEN:
            throw EngineError.unreadable(format: "PDF", detail: "it is damaged, truncated or not a PDF (\(detail))")
        default:
            throw EngineError.unreadable(format: "PDF", detail: detail)
        }
    }

    deinit {
        cpoppler_document_free(handle)
    }

    var pageCount: Int { Int(cpoppler_document_page_count(handle)) }

    /// The page's size in points as displayed.
    func pageSize(_ index: Int) throws -> (width: Double, height: Double) {
        var width = 0.0, height = 0.0
        var message: UnsafeMutablePointer<CChar>?
        let status = cpoppler_page_size(handle, Int32(index), &width, &height, &message)
        try check(status, message, page: index)
        guard width > 0, height > 0, width.isFinite, height.isFinite else {
            throw EngineError.unreadable(format: "PDF", detail: "page \(index + 1) has no size")
        }
        return (width, height)
    }

    /// Renders a page into a gray image at `dpi`.
    func renderGray(_ index: Int, dpi: Double) throws -> PixImage {
        var bitmap = CPopplerBitmap()
        var message: UnsafeMutablePointer<CChar>?
        let status = cpoppler_page_render_gray(handle, Int32(index), dpi, &bitmap, &message)
        try check(status, message, page: index)
        defer { cpoppler_bitmap_free(&bitmap) }
        return try PixImage.fromGray(bytes: bitmap.data, width: Int(bitmap.width), height: Int(bitmap.height),
                                     stride: Int(bitmap.stride), dpi: Int(dpi.rounded()))
    }

    /// The words of the page's text layer, boxes in points (top-left origin), in Poppler's reading order.
    func words(_ index: Int) throws -> [TextLayerWord] {
        var list = CPopplerWordList()
        var message: UnsafeMutablePointer<CChar>?
        let status = cpoppler_page_words(handle, Int32(index), &list, &message)
        try check(status, message, page: index)
        defer { cpoppler_word_list_free(&list) }
        guard let words = list.words else { return [] }
        return (0..<list.count).map { i in
            let word = words[i]
            return TextLayerWord(text: word.text.map { String(cString: $0) } ?? "",
                                 x0: word.x0, y0: word.y0, x1: word.x1, y1: word.y1,
                                 spaceAfter: word.space_after)
        }
    }

    private func check(_ status: CPopplerStatus, _ message: UnsafeMutablePointer<CChar>?, page: Int) throws {
        let detail = PDFDocument.take(message)
        guard status != CPOPPLER_OK else { return }
        if status == CPOPPLER_ERROR_MEMORY {
            throw EngineError.nativeFailure(call: "Poppler", detail: "page \(page + 1): \(detail)")
        }
        throw EngineError.unreadable(format: "PDF", detail: "page \(page + 1): \(detail)")
    }

    /// Copies a message from the shim into Swift and frees it at once.
    private static func take(_ message: UnsafeMutablePointer<CChar>?) -> String {
        guard let message else { return "no detail" }
        defer { cpoppler_string_free(message) }
        return String(cString: message)
    }
}

/// One word of a PDF text layer as Poppler gives it, in points.
struct TextLayerWord: Equatable {
    var text: String
    var x0: Double
    var y0: Double
    var x1: Double
    var y1: Double
    var spaceAfter: Bool
}
