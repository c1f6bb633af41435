import Foundation
import OCRChatModel
import Testing
@testable import OCRChatExport

@Suite("hocr: well-formed XHTML read back with Python's xml.etree")
struct HOCRExporterTests {
    /// What read_hocr.py reports.
    struct Report: Decodable {
        struct Word: Decodable {
            var text: String
            var title: [String: String]
            var tag: String
        }
        struct Line: Decodable {
            var title: [String: String]
            var text: String
            var words: [Word]
        }
        struct Paragraph: Decodable {
            var title: [String: String]
            var dir: String?
            var lines: [Line]
        }
        struct Area: Decodable {
            var title: [String: String]
            var paragraphs: [Paragraph]
        }
        struct Page: Decodable {
            var id: String
            var title: [String: String]
            var lang: String?
            var areas: [Area]
        }
        var root: String
        var lang: String?
        var meta: [String: String]
        var ids: [String]
        var pages: [Page]
    }

    private func read(_ document: Document, exporter: HOCRExporter = HOCRExporter()) async throws -> Report {
        try await ExternalTool.python("read_hocr.py", reading: try exporter.export(document), named: "tricky.hocr", as: Report.self)
    }

    private func bbox(_ box: BoundingBox) -> String { "\(box.x0) \(box.y0) \(box.x1) \(box.y1)" }

    @Test("each page says its language (lang), the document its main one")
    func languages() async throws {
        var document = TrickyDocument.make()
        document.pages[2].language = "chi_tra"
        let report = try await read(document)
        #expect(report.lang == "en")
        #expect(report.pages.map(\.lang) == ["en", "en", "zh-Hant"])
    }

    @Test("the head names the system and its capabilities; ids are unique")
    func head() async throws {
        let report = try await read(TrickyDocument.make())
        #expect(report.root == "{http://www.w3.org/1999/xhtml}html")
        #expect(report.meta["ocr-system"] == "ocrchat")
        let capabilities = Set((report.meta["ocr-capabilities"] ?? "").split(separator: " ").map(String.init))
        #expect(capabilities.isSuperset(of: ["ocr_page", "ocr_carea", "ocr_par", "ocr_line", "ocrx_word"]))
        #expect(report.meta["ocr-number-of-pages"] == "3")
        #expect(Set(report.ids).count == report.ids.count)
    }

    @Test("an ocr_page per page with its size and number; the empty page has no areas")
    func pages() async throws {
        let report = try await read(TrickyDocument.make())
        #expect(report.pages.map { $0.title["bbox"] } == ["0 0 1000 1400", "0 0 1000 1400", "0 0 800 600"])
        #expect(report.pages.map { $0.title["ppageno"] } == ["0", "1", "2"])
        #expect(report.pages.map(\.areas.count) == [4, 0, 1])
        #expect(report.pages[0].title["image"] == nil)
    }

    @Test("naming the image puts it in every page's title")
    func imageName() async throws {
        let report = try await read(TrickyDocument.make(), exporter: HOCRExporter(imageName: "scan \"2024\".pdf"))
        #expect(report.pages.map { $0.title["image"] } == Array(repeating: "\"scan 2024.pdf\"", count: 3))
    }

    @Test("blocks, lines and words keep their boxes, text and x_wconf")
    func words() async throws {
        let document = TrickyDocument.make()
        let report = try await read(document)
        for (page, readPage) in zip(document.pages, report.pages) {
            for (block, area) in zip(page.blocks, readPage.areas) {
                #expect(area.title["bbox"] == bbox(block.bbox))
                let paragraph = try #require(area.paragraphs.first)
                #expect(area.paragraphs.count == 1)
                #expect(paragraph.title["bbox"] == bbox(block.bbox))
                try #require(paragraph.lines.count == block.lines.count)
                for (line, readLine) in zip(block.lines, paragraph.lines) {
                    #expect(readLine.title["bbox"] == bbox(line.bbox))
                    #expect(readLine.text == TrickyDocument.xmlText(line.text))
                    try #require(readLine.words.count == line.words.count)
                    for (word, readWord) in zip(line.words, readLine.words) {
                        #expect(readWord.tag == "{http://www.w3.org/1999/xhtml}span")
                        #expect(readWord.text == TrickyDocument.xmlText(word.text))
                        #expect(readWord.title["bbox"] == bbox(word.bbox))
                    }
                }
            }
        }
        let firstLine = report.pages[0].areas[0].paragraphs[0].lines[0]
        #expect(firstLine.words.map(\.text) == ["Invoice,", "\"final\"", "<b>draft</b>"])
        #expect(firstLine.words.map { $0.title["x_wconf"] } == ["90", "90", "90"])
        let lastLine = report.pages[2].areas[0].paragraphs[0].lines[0]
        #expect(lastLine.words.map { $0.title["x_wconf"] } == ["12", "100"])
    }

    @Test("the Arabic paragraph, and only it, is marked right to left")
    func direction() async throws {
        let report = try await read(TrickyDocument.make())
        #expect(report.pages[0].areas.map { $0.paragraphs[0].dir } == [nil, nil, "rtl", nil])
    }

    @Test("a document without pages is still a well-formed hOCR file")
    func noPages() async throws {
        let report = try await read(TrickyDocument.noPages)
        #expect(report.pages.isEmpty)
        #expect(report.meta["ocr-system"] == "ocrchat")
    }
}
