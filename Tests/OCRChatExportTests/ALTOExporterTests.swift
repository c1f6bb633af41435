import Foundation
import OCRChatModel
import Testing
@testable import OCRChatExport

@Suite("alto: ALTO v4 read back with Python's xml.etree and checked by xmllint")
struct ALTOExporterTests {
    /// What read_alto.py reports.
    struct Report: Decodable {
        struct Line: Decodable {
            var attributes: [String: String]
            var items: [[String: String]]
        }
        struct Block: Decodable {
            var attributes: [String: String]
            var lines: [Line]
        }
        struct Page: Decodable {
            var attributes: [String: String]
            var printSpaces: [[String: String]]
            var blocks: [Block]
        }
        var root: String
        var unit: String?
        var software: String?
        var pages: [Page]
    }

    private func read(_ document: Document) async throws -> Report {
        try await ExternalTool.python("read_alto.py", reading: try ALTOExporter().export(document), named: "tricky.alto.xml",
                                as: Report.self)
    }

    /// HPOS, VPOS, WIDTH and HEIGHT as ALTO writes them for a box.
    private func position(_ box: BoundingBox) -> [String: String] {
        ["HPOS": "\(box.x0)", "VPOS": "\(box.y0)", "WIDTH": "\(box.width)", "HEIGHT": "\(box.height)"]
    }

    private func positionOf(_ attributes: [String: String]) -> [String: String] {
        attributes.filter { ["HPOS", "VPOS", "WIDTH", "HEIGHT"].contains($0.key) }
    }

    @Test("each TextBlock names its page's language (LANG); a page of unknown language has none")
    func languages() async throws {
        let report = try await read(TrickyDocument.make())
        let blocks = report.pages[0].blocks
        #expect(!blocks.isEmpty && blocks.allSatisfy { $0.attributes["LANG"] == "en" })
        #expect(report.pages[2].blocks.allSatisfy { $0.attributes["LANG"] == nil })
    }

    @Test("the v4 namespace, pixels, and who made it")
    func description() async throws {
        let report = try await read(TrickyDocument.make())
        #expect(report.root == "{http://www.loc.gov/standards/alto/ns-v4#}alto")
        #expect(report.unit == "pixel")
        #expect(report.software == "ocrchat")
    }

    @Test("a Page per page with its number and size, each with one PrintSpace over the whole page")
    func pages() async throws {
        let report = try await read(TrickyDocument.make())
        #expect(report.pages.map { $0.attributes["PHYSICAL_IMG_NR"] } == ["1", "2", "3"])
        #expect(report.pages.map { $0.attributes["WIDTH"] } == ["1000", "1000", "800"])
        #expect(report.pages.map { $0.attributes["HEIGHT"] } == ["1400", "1400", "600"])
        #expect(report.pages.map(\.printSpaces.count) == [1, 1, 1])
        #expect(positionOf(report.pages[2].printSpaces[0]) == ["HPOS": "0", "VPOS": "0", "WIDTH": "800", "HEIGHT": "600"])
        #expect(report.pages.map(\.blocks.count) == [4, 0, 1])
    }

    @Test("blocks, lines and words keep their positions; words their text and WC in 0…1")
    func words() async throws {
        let document = TrickyDocument.make()
        let report = try await read(document)
        for (page, readPage) in zip(document.pages, report.pages) {
            for (block, readBlock) in zip(page.blocks, readPage.blocks) {
                #expect(positionOf(readBlock.attributes) == position(block.bbox))
                try #require(readBlock.lines.count == block.lines.count)
                for (line, readLine) in zip(block.lines, readBlock.lines) {
                    #expect(positionOf(readLine.attributes) == position(line.bbox))
                    let strings = readLine.items.filter { $0["kind"] == "String" }
                    // String, SP, String, SP, …, String: a space between words and none at the ends.
                    #expect(readLine.items.map { $0["kind"] ?? "" }
                            == Array(line.words.map { _ in ["String", "SP"] }.joined().dropLast()))
                    try #require(strings.count == line.words.count)
                    for (word, string) in zip(line.words, strings) {
                        #expect(string["CONTENT"] == TrickyDocument.xmlText(word.text))
                        #expect(positionOf(string) == position(word.bbox))
                        let confidence = try #require(string["WC"].flatMap(Double.init))
                        #expect((0...1).contains(confidence))
                        #expect(abs(confidence - word.confidence) < 0.0001)
                    }
                }
            }
        }
        let last = report.pages[2].blocks[0].lines[0].items.filter { $0["kind"] == "String" }
        #expect(last.map { $0["WC"] } == ["0.1235", "0.9950"])
    }

    @Test("an SP spans the gap between two words, in a right-to-left line too")
    func spaces() async throws {
        let report = try await read(TrickyDocument.make())
        // "Invoice," is x 100–196, "\"final\"" starts at 206.
        let latin = report.pages[0].blocks[0].lines[0].items[1]
        #expect(latin["kind"] == "SP")
        #expect(latin["HPOS"] == "196")
        #expect(latin["WIDTH"] == "10")
        // "مرحبا" is x 840–900, "بالعالم" to its left at 746–830.
        let arabic = report.pages[0].blocks[2].lines[0].items[1]
        #expect(arabic["kind"] == "SP")
        #expect(arabic["HPOS"] == "830")
        #expect(arabic["WIDTH"] == "10")
    }

    @Test("a document without pages is still well-formed ALTO")
    func noPages() async throws {
        let report = try await read(TrickyDocument.noPages)
        #expect(report.pages.isEmpty)
        #expect(report.unit == "pixel")
    }

    @Test("xmllint finds the XML formats well-formed", .enabled(if: ExternalTool.find("xmllint") != nil),
          arguments: [ExportFormat.hocr, .alto])
    func xmllint(format: ExportFormat) async throws {
        let xmllint = try #require(ExternalTool.find("xmllint"))
        try await ExternalTool.withFile(try format.exporter.export(TrickyDocument.make()),
                                  named: "tricky.\(format.fileExtension)") { file in
            let outcome = try await ExternalTool.run(xmllint, ["--noout", "--nonet", file.path])
            #expect(outcome.status == 0, "\(outcome.standardError)")
        }
    }
}
