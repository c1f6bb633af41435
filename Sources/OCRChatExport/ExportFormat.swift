import Foundation
import OCRChatModel

/// An output format. Each one has one exporter that reads only the document model.
public enum ExportFormat: String, Sendable, CaseIterable, Codable {
    case txt, md, json

    /// The file name extension.
    public var fileExtension: String { rawValue }

    /// The HTTP content type.
    public var contentType: String {
        switch self {
        case .txt: return "text/plain; charset=utf-8"
        case .md: return "text/markdown; charset=utf-8"
        case .json: return "application/json"
        }
    }

    /// The exporter that writes this format.
    public var exporter: any DocumentExporter {
        switch self {
        case .txt: return PlainTextExporter()
        case .md: return MarkdownExporter()
        case .json: return JSONExporter()
        }
    }
}

/// Turns a document into the bytes of one format.
public protocol DocumentExporter: Sendable {
    func export(_ document: Document) throws -> Data
}
