import Foundation

/// What a PDF page draws as text: the bytes of its visible text, and of its invisible text (render
/// mode 3), which is what an earlier OCR leaves over a scan (Tesseract's, OCRmyPDF's, ours).
public struct PageTextCounts: Sendable, Equatable {
    public var visible: Int
    public var invisible: Int

    public init(visible: Int, invisible: Int) {
        self.visible = visible
        self.invisible = invisible
    }

    /// Whether the page's text is mostly an earlier OCR's invisible layer: what `--mode redo` reads
    /// again. A page of visible text with a few invisible words (a hidden watermark) is not.
    public var isOCRLayer: Bool { invisible > 0 && invisible >= visible }
}

/// Reads which pages of a PDF carry an earlier OCR's invisible text, from their content streams
/// (and the Form XObjects they draw) through qpdf.
public enum PDFTextLayers {
    /// Each page's counts, in page order. Throws `SearchablePDFError` when qpdf cannot open the file.
    public static func counts(of data: Data, password: String?) throws -> [PageTextCounts] {
        let pdf = try QPDFDocument.open(data, password: password)
        return try (0..<pdf.pageCount).map { try pdf.textCounts(page: $0) }
    }
}
