import Foundation
import OCRChatModel

/// Writes a searchable PDF, what OCRmyPDF users expect: the page images (or the original PDF pages,
/// untouched) with an invisible text layer whose words sit on the words of the page.
///
/// A value type holding the font's bytes and the password: safe to share between threads; each
/// `write` builds its PDF on its own.
public struct SearchablePDFWriter: Sendable {
    /// The glyphless font embedded for the text layer.
    public let fontURL: URL
    /// The password of an encrypted source PDF, if it has one.
    public var password: String?
    private let font: Data

    /// A writer using the glyphless font at `font`, or Tesseract's `pdf.ttf` found in `tessdata/`,
    /// `TESSDATA_PREFIX` or the system folders; throws `fontNotFound` when there is none.
    public init(font: URL? = nil, password: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let url = try font ?? GlyphlessFont.locate(environment: environment)
        do {
            self.font = try Data(contentsOf: url)
        } catch {
            throw SearchablePDFError.fontUnreadable(path: url.path, reason: error.localizedDescription)
        }
        fontURL = url
        self.password = password
    }

    /// The searchable PDF of `document`. `source` is the original file's bytes (PNG/JPEG/WEBP/GIF/BMP/TIFF
    /// or PDF) the document was read from.
    public func write(_ document: Document, source: Data) throws -> Data {
        switch document.sourceFormat {
        case "pdf":
            return try overlay(document, on: source)
        case "png", "jpeg", "webp", "gif", "bmp", "tiff":
            return try imagePages(document, source: source, isTIFF: document.sourceFormat == "tiff")
        default:
            throw SearchablePDFError.unsupportedSource(format: document.sourceFormat)
        }
    }

    /// A page per document page: its image (turned upright as the engine read it) filling the page,
    /// the text layer over it.
    private func imagePages(_ document: Document, source: Data, isTIFF: Bool) throws -> Data {
        let pdf = try QPDFDocument.empty(font: font)
        var layers: [(page: Int, content: String, placement: TextLayerPlacement)] = []
        var wideCharacters = WideCharacterCodes()
        for (position, page) in document.pages.enumerated() {
            // An image that does not state its resolution is taken as a 300 dpi scan (the usual
            // scanner setting), the same guess OCRmyPDF makes; the page then has a plausible paper size.
            let dpi = Double(page.dpi > 0 ? page.dpi : 300)
            let placement = TextLayerPlacement(width: Double(page.width) / dpi * 72, height: Double(page.height) / dpi * 72,
                                               matrix: .identity)
            try pdf.addImagePage(image: source, tiffPage: isTIFF ? page.index : nil, rotation: page.rotation,
                                 width: placement.width, height: placement.height, page: page.index)
            let content = InvisibleText.content(for: page, width: placement.width, height: placement.height,
                                                wideCharacters: &wideCharacters)
            layers.append((position, content, placement))
        }
        try addTextLayers(layers, wideCharacters: wideCharacters, of: document, to: pdf)
        return try pdf.write()
    }

    /// The source PDF with a text layer over each page that was OCRed; pages read from their own
    /// text layer are left exactly as they were. An OCRed page loses the invisible text it had (an
    /// earlier OCR's layer, `--mode redo`'s reason to read it): it then carries one text layer, ours.
    private func overlay(_ document: Document, on source: Data) throws -> Data {
        let pdf = try QPDFDocument.open(source, password: password, font: font)
        let pageCount = pdf.pageCount
        var layers: [(page: Int, content: String, placement: TextLayerPlacement)] = []
        var wideCharacters = WideCharacterCodes()
        for page in document.pages where page.source == .ocr {
            guard page.index >= 0, page.index < pageCount else {
                throw SearchablePDFError.pageMismatch(page: page.index, sourcePages: pageCount)
            }
            try pdf.removeInvisibleText(page: page.index)
            let placement = TextLayerPlacement.overPDFPage(rotation: page.rotation, box: try pdf.pageBox(page.index))
            let content = InvisibleText.content(for: page, width: placement.width, height: placement.height,
                                                wideCharacters: &wideCharacters)
            layers.append((page.index, content, placement))
        }
        try addTextLayers(layers, wideCharacters: wideCharacters, of: document, to: pdf)
        return try pdf.write()
    }

    /// The font is made with the first layer and must know every wide character by then, hence
    /// the layers are all drawn before any is added. The document's main language becomes the PDF's.
    private func addTextLayers(_ layers: [(page: Int, content: String, placement: TextLayerPlacement)],
                               wideCharacters: WideCharacterCodes, of document: Document, to pdf: QPDFDocument) throws {
        try pdf.setWideCharacters(wideCharacters)
        if !layers.isEmpty, let language = document.detectedLanguages.first { try pdf.setLanguage(language) }
        for layer in layers where !layer.content.isEmpty {
            try pdf.addTextLayer(page: layer.page, content: layer.content, width: layer.placement.width,
                                 height: layer.placement.height, matrix: layer.placement.matrix)
        }
    }

    /// The version of qpdf that writes the PDFs.
    public static var qpdfVersion: String { QPDFDocument.version }
}
