import Foundation
import OCRChatModel

/// An output format. Each one has one exporter that reads only the document model.
public enum ExportFormat: String, Sendable, CaseIterable, Codable {
    /// Plain UTF-8 text in reading order.
    case txt
    /// Markdown, recognised text escaped so it never turns into markup.
    case md
    /// The whole model as JSON.
    case json
    /// One CSV row per block, with its page, box and confidence.
    case csv
    /// A Word document, a paragraph per block.
    case docx
    /// hOCR 1.2 XHTML, with boxes and confidences down to the word.
    case hocr
    /// ALTO v4 XML, with positions and confidences down to the word.
    case alto
    /// A searchable PDF: the original pages (or page images) with an invisible text layer. Written by
    /// `SearchablePDFWriter` in OCRChatPDF (reached through `Conversion.export`) from the document *and
    /// the source file*; see `needsSource`.
    case pdf

    /// The file name extension, without the leading dot.
    public var fileExtension: String {
        switch self {
        case .alto: return "alto.xml"  // see ALTOExporter for why not plain `xml`
        default: return rawValue
        }
    }

    /// The HTTP content type.
    public var contentType: String {
        switch self {
        case .txt: return "text/plain; charset=utf-8"
        case .md: return "text/markdown; charset=utf-8"
        case .json: return "application/json"
        case .csv: return "text/csv; charset=utf-8"
        case .docx: return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .hocr: return "text/html; charset=utf-8"
        case .alto: return "application/xml"
        case .pdf: return "application/pdf"
        }
    }

    /// Whether the format is made from the source file's bytes as well as the document (the searchable
    /// PDF keeps the original pages or images). Such a format has no `DocumentExporter` of its own:
    /// its `exporter` throws `ExportError.sourceRequired`, and callers use `Conversion.export`.
    public var needsSource: Bool { self == .pdf }

    /// The exporter that writes this format.
    public var exporter: any DocumentExporter {
        switch self {
        case .txt: return PlainTextExporter()
        case .md: return MarkdownExporter()
        case .json: return JSONExporter()
        case .csv: return CSVExporter()
        case .docx: return DOCXExporter()
        case .hocr: return HOCRExporter()
        case .alto: return ALTOExporter()
        case .pdf: return SourceRequiredExporter(format: self)
        }
    }
}

/// Turns a document into the bytes of one format.
public protocol DocumentExporter: Sendable {
    /// The document in this format; throws an `ExportError` when it cannot be written.
    func export(_ document: Document) throws -> Data
}

/// The stand-in exporter of a format that needs the source file: it says so instead of writing
/// something that is not the format.
struct SourceRequiredExporter: DocumentExporter {
    let format: ExportFormat

    func export(_ document: Document) throws -> Data {
        throw ExportError.sourceRequired(format: format.rawValue)
    }
}
