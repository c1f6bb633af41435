import Foundation
import Logging
import OCRChatModel
import OCRChatPDF
import Synchronization

/// What loading one page yields: an image to recognise, or a page already read from a text layer.
enum PageWork: Sendable {
    case recognize(PixImage, dpi: Int)
    case finished(Page)
}

/// The pages of one file, loaded one at a time (so a long file is never held whole as images).
///
/// Loading is blocking C work; the engine calls it off Swift's cooperative pool, for as many pages
/// at a time as it works on, so `load` must be safe to call from several threads at once.
protocol PageSource: Sendable {
    var format: InputFormat { get }
    var pageCount: Int { get }
    func load(page index: Int) throws -> PageWork
    /// How many pixels the page is read at, known before it is loaded (from the file's headers or
    /// page tree; 0 when it is not known): the engine starts the largest pages first.
    func pixels(ofPage index: Int) -> Int
}

/// A single image, or every page of a TIFF, decoded with Leptonica.
struct ImageFileSource: PageSource {
    let data: Data
    let format: InputFormat
    let headers: [ImageHeader]

    init(data: Data, format: InputFormat, limits: EngineLimits) throws {
        self.data = data
        self.format = format
        headers = try ImageHeader.pages(of: data, format: format, maxPages: limits.maxPages)
        if headers.count > limits.maxPages {
            throw EngineError.tooManyPages(count: headers.count, limit: limits.maxPages)
        }
        // Header sizes are up to 2^32 each: their product is taken without overflow (a fuzzed PNG
        // claiming 4294967295×4294967295 used to trap here).
        for (index, header) in headers.enumerated() where header.pixelCount > limits.maxPixelsPerPage {
            throw EngineError.tooManyPixels(page: index, width: header.width, height: header.height,
                                            limit: limits.maxPixelsPerPage)
        }
    }

    var pageCount: Int { headers.count }

    func pixels(ofPage index: Int) -> Int { headers.indices.contains(index) ? headers[index].pixelCount : 0 }

    func load(page index: Int) throws -> PageWork {
        let image = try PixImage.decode(data, format: format, tiffPage: index)
        // The header was checked; a decoder that disagrees with it is not trusted either.
        let expected = headers[index]
        if image.width * image.height > max(expected.pixelCount, 1).saturatingProduct(4) {
            throw EngineError.unreadable(format: format.displayName, detail: "the decoded size does not match the header")
        }
        return .recognize(image, dpi: image.resolution)
    }
}

/// The pages of a PDF: each page's text layer when it is usable, else the page rendered in memory.
struct PDFSource: PageSource {
    /// The file opened once per page being loaded at a time (Poppler takes one call at a time on
    /// a document); the first one is opened here, so that a damaged or locked file fails at once.
    let documents: PDFHandles
    let limits: EngineLimits
    let renderDPI: Double
    let logger: Logger
    /// What to do with a page's own text layer.
    let textLayer: TextLayerPolicy
    /// Under `redo`, the pages whose text is an earlier OCR's invisible layer (read from the content
    /// streams once, here: the qpdf handle is not shared between the threads that load pages).
    let ocrLayerPages: Set<Int>

    init(data: Data, file: URL?, password: String?, limits: EngineLimits, renderDPI: Double, logger: Logger,
         textLayer: TextLayerPolicy = .useWhenUsable) throws {
        documents = try PDFHandles { try PDFDocument(data: data, file: file, password: password) }
        let document = documents.first
        self.limits = limits
        self.renderDPI = renderDPI
        self.logger = logger
        self.textLayer = textLayer
        let count = document.pageCount
        guard count > 0 else { throw EngineError.unreadable(format: "PDF", detail: "it has no pages") }
        if count > limits.maxPages { throw EngineError.tooManyPages(count: count, limit: limits.maxPages) }
        ocrLayerPages = textLayer == .redo ? Self.ocrLayerPages(data, password: password, logger: logger) : []
    }

    /// The pages whose text is mostly invisible. A PDF Poppler opens but qpdf cannot is read as under
    /// `useWhenUsable`, which the log says.
    private static func ocrLayerPages(_ data: Data, password: String?, logger: Logger) -> Set<Int> {
        do {
            let counts = try PDFTextLayers.counts(of: data, password: password)
            return Set(counts.indices.filter { counts[$0].isOCRLayer })
        } catch {
            logger.warning("--mode redo: the text layers could not be told apart (\(error)); pages with usable text keep it")
            return []
        }
    }

    var format: InputFormat { .pdf }
    var pageCount: Int { documents.first.pageCount }

    func load(page index: Int) throws -> PageWork {
        try documents.using { try load(page: index, from: $0) }
    }

    func pixels(ofPage index: Int) -> Int {
        guard let (_, width, height) = try? documents.using({ try rendering(page: index, of: $0) }) else { return 0 }
        return width.saturatingProduct(height)
    }

    /// The resolution a page is rendered at and its size in pixels there: the configured
    /// resolution, unless the page is so large that the pixel limit would be passed; then a lower
    /// one that fits, rather than a refusal.
    private func rendering(page index: Int, of document: PDFDocument) throws -> (dpi: Double, width: Int, height: Int) {
        let size = try document.pageSize(index)
        let squareInches = (size.width / 72) * (size.height / 72)
        let fittingDPI = (Double(limits.maxPixelsPerPage) / squareInches).squareRoot().rounded(.down)
        let dpi = max(1, min(renderDPI, fittingDPI))
        return (dpi, Int((size.width / 72 * dpi).rounded()), Int((size.height / 72 * dpi).rounded()))
    }

    private func load(page index: Int, from document: PDFDocument) throws -> PageWork {
        let (dpi, width, height) = try rendering(page: index, of: document)
        if textLayer == .ignore {
            logger.debug("page \(index + 1) is OCRed: its text layer is ignored (--mode force)")
            return .recognize(try document.renderGray(index, dpi: dpi), dpi: Int(dpi))
        }
        if textLayer == .redo, ocrLayerPages.contains(index) {
            logger.debug("page \(index + 1) is OCRed again: its text is an earlier OCR's invisible layer (--mode redo)")
            return .recognize(try document.renderGray(index, dpi: dpi), dpi: Int(dpi))
        }
        let words = TextLayer.textWords(try document.words(index))
        if let reason = TextLayer.rejection(of: words) {
            logger.debug("page \(index + 1) is OCRed: \(reason)")
        } else {
            let blocks = TextLayer.blocks(from: words, dpi: dpi, pageWidth: width, pageHeight: height)
            return .finished(Page(index: index, width: width, height: height, dpi: Int(dpi), rotation: 0,
                                  source: .textLayer, language: "", blocks: blocks))
        }
        return .recognize(try document.renderGray(index, dpi: dpi), dpi: Int(dpi))
    }
}

/// Handles on one PDF, one for each page that is loading at once: a page's text is taken or its
/// image rendered while another handle serves the next page, on the other core. A handle is opened
/// when every open one is busy, so there are never more than the loads that ran at one time.
final class PDFHandles: Sendable {
    let first: PDFDocument
    private let idle: Mutex<[PDFDocument]>
    private let open: @Sendable () throws -> PDFDocument

    init(open: @escaping @Sendable () throws -> PDFDocument) throws {
        first = try open()
        idle = Mutex([first])
        self.open = open
    }

    /// Runs `body` with a handle no other thread is using.
    func using<T>(_ body: (PDFDocument) throws -> T) throws -> T {
        let document = try idle.withLock { $0.popLast() } ?? open()
        defer { idle.withLock { $0.append(document) } }
        return try body(document)
    }
}
