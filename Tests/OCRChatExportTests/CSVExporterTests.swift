import Foundation
import OCRChatModel
import Testing
@testable import OCRChatExport

@Suite("csv: a row per block, read back by Python's csv module")
struct CSVExporterTests {
    /// What read_csv.py reports.
    struct Report: Decodable {
        var bom: Bool
        var rows: [[String]]
        var canonical: Bool
        var endsWithCrlf: Bool
    }

    @Test("every cell comes back as written: commas, quotes, line breaks, tags, é, Привет, 中文, Arabic")
    func roundTrip() async throws {
        let document = TrickyDocument.make()
        let data = try CSVExporter().export(document)
        let report = try await ExternalTool.python("read_csv.py", reading: data, named: "tricky.csv", as: Report.self)

        #expect(report.rows.first == ["page", "block", "x0", "y0", "x1", "y1", "confidence", "text"])
        let rows = Array(report.rows.dropFirst())
        // Four blocks on page 1, none on the empty page 2, one on page 3.
        #expect(rows.map { [$0[0], $0[1]] } == [["1", "1"], ["1", "2"], ["1", "3"], ["1", "4"], ["3", "1"]])
        let blocks = document.pages.flatMap(\.blocks)
        try #require(rows.count == blocks.count)
        for (row, block) in zip(rows, blocks) {
            #expect(Array(row[2...5]) == [block.bbox.x0, block.bbox.y0, block.bbox.x1, block.bbox.y1].map(String.init))
            #expect(row[7] == block.text)
        }
        #expect(rows[0][7] == "Invoice, \"final\" <b>draft</b>\nTom & Jerry; 5 > 3")
        #expect(rows[1][7] == "café é Привет 中文")
        #expect(rows.map { $0[6] } == ["0.9877", "0.9000", "0.8700", "0.5000", "1.0000"])
    }

    @Test("a UTF-8 BOM first and CRLF after every record, exactly as RFC 4180 writers quote")
    func framing() async throws {
        let data = try CSVExporter().export(TrickyDocument.make())
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]))
        let report = try await ExternalTool.python("read_csv.py", reading: data, named: "tricky.csv", as: Report.self)
        #expect(report.bom)
        #expect(report.endsWithCrlf)
        #expect(report.canonical, "Python's csv writer would frame these rows differently")
    }

    @Test("a document without pages gives the header alone")
    func noPages() async throws {
        let data = try CSVExporter().export(TrickyDocument.noPages)
        let report = try await ExternalTool.python("read_csv.py", reading: data, named: "empty.csv", as: Report.self)
        #expect(report.rows == [CSVExporter.header])
    }

    @Test("fields are quoted only when they must be, a lone CR included")
    func quoting() {
        #expect(CSVTable.field("plain text") == "plain text")
        #expect(CSVTable.field("a,b") == "\"a,b\"")
        #expect(CSVTable.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVTable.field("one\rtwo") == "\"one\rtwo\"")
        #expect(CSVTable.field("one\r\ntwo") == "\"one\r\ntwo\"")
    }

    @Test("a row that does not match the header is refused, not shifted")
    func rowWidth() {
        var table = CSVTable(header: ["table", "page", "cell"])
        #expect(throws: ExportError.rowWidthMismatch(row: 1, expected: 3, found: 2)) {
            try table.append(["1", "2"])
        }
    }
}
