import Foundation
import OCRChatModel
import Testing
@testable import OCRChatExport

@Suite("Exporters read only the document model")
struct ExporterTests {
    /// Two pages: a heading-like line and a line with Markdown characters, then a page in Russian.
    private let document: Document = {
        func word(_ text: String, _ x: Int) -> Word {
            Word(text: text, bbox: BoundingBox(x0: x, y0: 10, x1: x + 50, y1: 30), confidence: 0.9)
        }
        func line(_ words: [String]) -> Line {
            let built = words.enumerated().map { word($1, $0 * 60) }
            return Line(bbox: BoundingBox.union(built.map(\.bbox))!, confidence: 0.9, words: built)
        }
        let first = Page(index: 0, width: 600, height: 800, dpi: 300, rotation: 0, source: .ocr, language: "eng", blocks: [
            Block(bbox: BoundingBox(x0: 0, y0: 10, x1: 200, y1: 30), confidence: 0.9,
                  lines: [line(["#1", "Total:", "5*3"]), line(["<b>bold</b>", "1.", "a_b"])]),
            Block(bbox: BoundingBox(x0: 0, y0: 50, x1: 200, y1: 70), confidence: 0.9, lines: [line(["- not", "a", "list"])]),
        ])
        let second = Page(index: 1, width: 600, height: 800, dpi: 300, rotation: 90, source: .textLayer, language: "",
                          blocks: [Block(bbox: BoundingBox(x0: 0, y0: 10, x1: 200, y1: 30), confidence: 1,
                                         lines: [line(["Привет", "мир"])])])
        return Document(pages: [first, second], requestedLanguage: "auto", tier: "cpu", engine: "cpu: tesseract-lstm",
                        sourceFormat: "pdf")
    }()

    @Test("txt: reading order, a blank line between blocks, a form feed between pages, UTF-8")
    func plainText() throws {
        let text = String(decoding: try PlainTextExporter().export(document), as: UTF8.self)
        #expect(text == "#1 Total: 5*3\n<b>bold</b> 1. a_b\n\n- not a list\n\u{0C}\nПривет мир\n")
    }

    @Test("md: recognised text never turns into markup; pages are marked")
    func markdown() throws {
        let markdown = MarkdownExporter().render(document)
        #expect(markdown.contains("\\#1 Total: 5\\*3"))
        #expect(markdown.contains("\\<b\\>bold\\</b\\> 1. a\\_b"))
        #expect(markdown.contains("\\- not a list"))
        #expect(markdown.contains("---\n\n<!-- page 2 -->\n\nПривет мир"))
    }

    @Test("md: the languages in a comment at the end, and after the marker of a page in another language")
    func markdownLanguages() {
        var bilingual = document
        bilingual.pages[1].language = "rus"
        let markdown = MarkdownExporter().render(bilingual)
        #expect(markdown.hasSuffix("<!-- language: en, ru -->\n"), "\(markdown)")
        #expect(markdown.contains("<!-- page 2 -->\n\n<!-- language: ru -->\n\nПривет мир"))
        #expect(!markdown.hasPrefix("<!--"))
    }

    @Test("md: a line that starts like a numbered list stays text")
    func numberedLine() {
        #expect(MarkdownExporter.escape("1. first") == "1\\. first")
        #expect(MarkdownExporter.escape("2) second") == "2\\) second")
        #expect(MarkdownExporter.escape("1.5 litres") == "1.5 litres")
    }

    @Test("json: the job object's fields, boxes as arrays, and it reads back the same")
    func json() throws {
        let data = try JSONExporter().export(document)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["page_count"] as? Int == 2)
        #expect(object["mean_confidence"] as? Double == 0.9)
        #expect((object["text"] as? String)?.hasSuffix("Привет мир") == true)
        let pages = try #require(object["pages"] as? [[String: Any]])
        #expect(pages[1]["source"] as? String == "text-layer")
        #expect(pages[1]["rotation"] as? Int == 90)
        let block = try #require((pages[0]["blocks"] as? [[String: Any]])?.first)
        #expect(block["bbox"] as? [Int] == [0, 10, 200, 30])
        #expect(block["text"] as? String == "#1 Total: 5*3\n<b>bold</b> 1. a_b")
        #expect(try JSONDecoder().decode(Document.self, from: data) == document)
    }

    @Test("every format names its content type and extension", arguments: ExportFormat.allCases)
    func contentTypes(format: ExportFormat) {
        #expect(!format.contentType.isEmpty)
        // ALTO files are `name.alto.xml`: XML tools open them, and they stand apart from other XML.
        #expect(format.fileExtension == (format == .alto ? "alto.xml" : format.rawValue))
    }

    @Test("every format exports a tricky document and a document without pages",
          arguments: ExportFormat.allCases.filter { !$0.needsSource })
    func everyFormatExports(format: ExportFormat) throws {
        #expect(!(try format.exporter.export(TrickyDocument.make())).isEmpty)
        _ = try format.exporter.export(TrickyDocument.noPages)
    }

    @Test("a format made from the source file says so instead of exporting the document alone")
    func sourceFormats() {
        #expect(ExportFormat.allCases.filter(\.needsSource) == [.pdf])
        #expect(ExportFormat.pdf.contentType == "application/pdf")
        #expect(throws: ExportError.sourceRequired(format: "pdf")) {
            try ExportFormat.pdf.exporter.export(TrickyDocument.make())
        }
    }
}
