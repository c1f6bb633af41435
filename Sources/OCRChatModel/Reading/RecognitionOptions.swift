/// The engine profile a caller asks for.
public enum Tier: String, Sendable, CaseIterable, Codable {
    /// Fast recognition of printed text: Tesseract's LSTM with automatic layout.
    case cpu
    /// The premium tier: PP-OCR's neural recogniser beside Tesseract, line by line, and a local
    /// vision model where one is configured.
    case vlm
}

/// What a caller asks of one file.
public struct RecognitionOptions: Sendable {
    /// `auto`, a short code (`en`, `ch`) or Tesseract names (`deu+eng`).
    public var language: String
    public var tier: Tier
    /// Opens an encrypted PDF.
    public var password: String?
    /// Resolution PDF pages are rendered at.
    public var renderDPI: Int
    /// Told after each page: (pages finished, page count).
    public var progress: (@Sendable (Int, Int) async -> Void)?
    /// The preset the job is for (`extract-tables`, …); nil for plain text.
    public var tool: Tool?
    /// The pages to read (0-based); nil reads every page. The document then holds only these
    /// pages, each with its index in the file.
    public var pages: Set<Int>?
    /// What to do with a PDF page that already has a text layer.
    public var textLayer: TextLayerPolicy = .useWhenUsable

    public init(language: String = "auto", tier: Tier = .cpu, password: String? = nil, renderDPI: Int = 300,
                progress: (@Sendable (Int, Int) async -> Void)? = nil, tool: Tool? = nil) {
        self.language = language
        self.tier = tier
        self.password = password
        self.renderDPI = renderDPI
        self.progress = progress
        self.tool = tool
    }
}

/// What the engine does with a PDF page that has a text layer of its own.
public enum TextLayerPolicy: String, Sendable, Codable {
    /// Takes the text from the layer when it is usable (not mojibake, not unmapped glyphs), else
    /// recognises the page (OCRmyPDF's `--skip-text`, with a check of the layer).
    case useWhenUsable
    /// Recognises every page from its rendered image, whatever text it has (OCRmyPDF's `--force-ocr`).
    case ignore
    /// Recognises anew the pages whose text is an earlier OCR's invisible layer and takes the visible
    /// text of the others from their layer, as `useWhenUsable` does (OCRmyPDF's `--redo-ocr`).
    case redo
}
