import Foundation
import OCRChatModel

/// CSV of the tables the layout found: `table,page,row,column 1,column 2,…`, one record per table
/// row, every table one after another (numbered from 1, with its page), as wide as the widest.
///
/// A document without tables gets one row per block instead: `page,block,x0,y0,x1,y1,confidence,text`.
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
        if let tables = try tablesTable(for: document) { return tables.utf8WithByteOrderMark }
        return try table(for: document).utf8WithByteOrderMark
    }

    /// The document's tables as one CSV table, or nil when it has none. A merged cell's text stands
    /// in its first position, the positions it covers are empty.
    func tablesTable(for document: Document) throws -> CSVTable? {
        let tables = document.pages.flatMap { page in
            page.blocks.compactMap(\.table).filter { $0.rowCount > 0 && $0.columnCount > 0 }.map { (page.index, $0) }
        }
        guard let width = tables.map({ $0.1.columnCount }).max() else { return nil }
        var csv = CSVTable(header: ["table", "page", "row"] + (1...width).map { "column \($0)" })
        for (number, (pageIndex, table)) in tables.enumerated() {
            for (rowIndex, row) in table.grid.enumerated() {
                try csv.append([String(number + 1), String(pageIndex + 1), String(rowIndex + 1)]
                               + row + Array(repeating: "", count: width - row.count))
            }
        }
        return csv
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
