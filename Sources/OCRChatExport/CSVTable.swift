import Foundation

/// A table of text cells written as RFC 4180 CSV.
///
/// The CSV exporter fills one with a row per block; the table feature will fill one per detected
/// table (with columns naming the table and its page), so quoting, line ends and the BOM live here
/// and not in any one exporter.
struct CSVTable {
    /// The column names, written as the first row.
    let header: [String]
    /// The data rows, each as wide as the header.
    private(set) var rows: [[String]] = []

    init(header: [String]) {
        self.header = header
    }

    /// Adds a row; a row narrower or wider than the header is refused, since it would silently shift
    /// every later cell into the wrong column.
    mutating func append(_ row: [String]) throws {
        guard row.count == header.count else {
            throw ExportError.rowWidthMismatch(row: rows.count + 1, expected: header.count, found: row.count)
        }
        rows.append(row)
    }

    /// The table as CSV text: CRLF after every record, as RFC 4180 has it.
    var text: String {
        var result = ""
        for record in [header] + rows {
            result += record.map(Self.field).joined(separator: ",")
            result += "\r\n"
        }
        return result
    }

    /// The table as UTF-8 with a byte order mark, so that spreadsheets which guess a legacy code page
    /// for BOM-less files (Excel does) still show é, Привет and 中文 as written.
    var utf8WithByteOrderMark: Data {
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(contentsOf: text.utf8)
        return data
    }

    /// One cell: quoted when it holds a comma, a quote, CR or LF, with its quotes doubled.
    static func field(_ cell: String) -> String {
        // Scalars, not Characters: "\r\n" is one Character and would not match "\r" or "\n" alone.
        let needsQuotes = cell.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
