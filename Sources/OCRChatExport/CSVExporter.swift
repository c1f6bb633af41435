import Foundation
import OCRChatModel

/// CSV with one row per block: `page,block,x0,y0,x1,y1,confidence,text`.
///
/// Pages and blocks are numbered from 1 as a reader counts them; the box is in page pixels with a
/// top-left origin and the confidence in 0…1 with four decimals. A block's lines stay on separate
/// lines inside its quoted `text` cell. RFC 4180: CRLF line ends, quotes doubled, and a UTF-8 BOM.
public struct CSVExporter: DocumentExporter {
    /// The columns, in order.
    static let header = ["page", "block", "x0", "y0", "x1", "y1", "confidence", "text"]

    /// An exporter; it holds no settings.
    public init() {}

    /// The document as CSV bytes, BOM first.
    public func export(_ document: Document) throws -> Data {
        try table(for: document).utf8WithByteOrderMark
    }

    /// The rows before they are encoded; an empty page simply adds none.
    func table(for document: Document) throws -> CSVTable {
        var table = CSVTable(header: Self.header)
        for page in document.pages {
            for (position, block) in page.blocks.enumerated() {
                try table.append([
                    String(page.index + 1),
                    String(position + 1),
                    String(block.bbox.x0),
                    String(block.bbox.y0),
                    String(block.bbox.x1),
                    String(block.bbox.y1),
                    NumberFormatting.confidence(block.confidence),
                    block.text,
                ])
            }
        }
        return table
    }
}
