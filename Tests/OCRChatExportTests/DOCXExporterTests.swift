import Foundation
import OCRChatModel
import Testing
@testable import OCRChatExport

@Suite("docx: opened by python-docx, unzip and LibreOffice")
struct DOCXExporterTests {
    /// What read_docx.py reports.
    struct Report: Decodable {
        struct Paragraph: Decodable {
            var text: String
            var style: String
            var pageBreaks: Int
            var bidi: Bool
            var rtlRuns: Int
            var textRuns: Int
            var numId: Int?
            var runLanguages: [String?]
        }
        var parts: [String]
        var corruptMember: String?
        var paragraphs: [Paragraph]
        var listStarts: [String: Int]
        var styles: [String]
        var creator: String
        var description: String
        var language: String
    }

    static let expectedParts = [
        "[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
        "word/styles.xml", "word/numbering.xml", "docProps/core.xml", "docProps/app.xml",
    ]

    @Test("a paragraph per block, lines as line breaks, text escaped and without XML-illegal characters")
    func paragraphs() async throws {
        let document = TrickyDocument.make()
        let report = try await ExternalTool.python("read_docx.py", reading: try DOCXExporter().export(document),
                                             named: "tricky.docx", as: Report.self)
        #expect(report.parts == Self.expectedParts)
        #expect(report.corruptMember == nil)
        // Page 1's four blocks, a page break, an empty paragraph for the empty page 2, a page break,
        // then page 3's block.
        #expect(report.paragraphs.map(\.text) == [
            "Invoice, \"final\" <b>draft</b>\nTom & Jerry; 5 > 3",
            "café é Привет 中文",
            "مرحبا بالعالم\nالسعر 25 دولار",
            "bellring tab\there a,b 'single'",
            "",
            "",
            "",
            "Last page",
        ])
        #expect(report.paragraphs.allSatisfy { $0.style == "Normal" })
        #expect(report.creator == "ocrchat")
        #expect(report.description.contains("pdf"))
    }

    @Test("list items are Word lists: bullets in one, each numbered run its own list from its first number")
    func lists() async throws {
        func item(_ text: String, y: Int) -> Block {
            let words = text.split(separator: " ").enumerated().map { offset, word in
                Word(text: String(word), bbox: BoundingBox(x0: 100 + offset * 80, y0: y, x1: 170 + offset * 80, y1: y + 30), confidence: 0.9)
            }
            let line = Line(bbox: BoundingBox.union(words.map(\.bbox))!, confidence: 0.9, words: words)
            return Block(bbox: line.bbox, confidence: 0.9, lines: [line], kind: .listItem)
        }
        let blocks = [item("• Apples", y: 100), item("• Pears", y: 140), item("1. First step", y: 200),
                      item("2. Second step", y: 240), item("5. Later step", y: 300), item("(a) lettered", y: 340)]
        let page = Page(index: 0, width: 1000, height: 1000, dpi: 300, rotation: 0, source: .ocr, language: "eng", blocks: blocks)
        let report = try await ExternalTool.python("read_docx.py", reading: try DOCXExporter().export(Document(pages: [page], requestedLanguage: "eng", tier: "cpu", engine: "test", sourceFormat: "png")),
                                             named: "lists.docx", as: Report.self)
        #expect(report.paragraphs.map(\.text) == ["Apples", "Pears", "First step", "Second step", "Later step", "(a) lettered"])
        #expect(report.paragraphs.map(\.numId) == [1, 1, 2, 2, 3, nil])
        #expect(report.listStarts["2"] == 1 && report.listStarts["3"] == 5)
        #expect(report.paragraphs.prefix(5).allSatisfy { $0.style == "List Paragraph" })
    }

    @Test("a page break, in a paragraph of its own, between every two source pages")
    func pageBreaks() async throws {
        let report = try await ExternalTool.python("read_docx.py", reading: try DOCXExporter().export(TrickyDocument.make()),
                                             named: "tricky.docx", as: Report.self)
        #expect(report.paragraphs.map(\.pageBreaks) == [0, 0, 0, 0, 1, 0, 1, 0])
        #expect(report.paragraphs.filter { $0.pageBreaks > 0 }.allSatisfy { $0.textRuns == 0 })
    }

    @Test("the Arabic block, and only it, is a right-to-left paragraph with a right-to-left run")
    func rightToLeft() async throws {
        let report = try await ExternalTool.python("read_docx.py", reading: try DOCXExporter().export(TrickyDocument.make()),
                                             named: "tricky.docx", as: Report.self)
        #expect(report.paragraphs.map(\.bidi) == [false, false, true, false, false, false, false, false])
        #expect(report.paragraphs[2].rtlRuns == report.paragraphs[2].textRuns)
        #expect(report.paragraphs[2].rtlRuns > 0)
        #expect(report.paragraphs.enumerated().allSatisfy { $0.offset == 2 || $0.element.rtlRuns == 0 })
    }

    @Test("every run with text carries its page's language (w:lang), and the document its main one")
    func languages() async throws {
        var document = TrickyDocument.make()
        document.pages[2].language = "deu+eng"
        let report = try await ExternalTool.python("read_docx.py", reading: try DOCXExporter().export(document),
                                             named: "languages.docx", as: Report.self)
        let first = report.paragraphs.prefix { $0.pageBreaks == 0 }.flatMap(\.runLanguages)
        let last = report.paragraphs.reversed().prefix { $0.pageBreaks == 0 }.flatMap(\.runLanguages)
        #expect(!first.isEmpty && first.allSatisfy { $0 == "en" }, "\(first)")
        #expect(!last.isEmpty && last.allSatisfy { $0 == "de" }, "\(last)")
        #expect(report.language == "en")
    }

    @Test("Normal and both heading styles are defined")
    func styles() async throws {
        let report = try await ExternalTool.python("read_docx.py", reading: try DOCXExporter().export(TrickyDocument.make()),
                                             named: "tricky.docx", as: Report.self)
        #expect(Set(["Normal", "Heading 1", "Heading 2"]).isSubset(of: report.styles))
    }

    @Test("a document without pages still opens, as one empty paragraph")
    func noPages() async throws {
        let report = try await ExternalTool.python("read_docx.py", reading: try DOCXExporter().export(TrickyDocument.noPages),
                                             named: "empty.docx", as: Report.self)
        #expect(report.paragraphs.map(\.text) == [""])
    }

    @Test("the same document gives the same bytes")
    func reproducible() throws {
        #expect(try DOCXExporter().export(TrickyDocument.make()) == DOCXExporter().export(TrickyDocument.make()))
    }

    @Test("unzip lists the parts and finds every CRC right", .enabled(if: ExternalTool.find("unzip") != nil))
    func unzip() async throws {
        let unzip = try #require(ExternalTool.find("unzip"))
        try await ExternalTool.withFile(try DOCXExporter().export(TrickyDocument.make()), named: "tricky.docx") { file in
            let listing = try await ExternalTool.run(unzip, ["-Z1", file.path])
            #expect(listing.status == 0)
            #expect(String(decoding: listing.standardOutput, as: UTF8.self).split(separator: "\n").map(String.init)
                    == Self.expectedParts)
            let check = try await ExternalTool.run(unzip, ["-tq", file.path])
            #expect(check.status == 0, "\(String(decoding: check.standardOutput, as: UTF8.self))")
        }
    }

    @Test("LibreOffice turns it into a PDF of three pages with the text on them",
          .enabled(if: ExternalTool.find("soffice") != nil), .timeLimit(.minutes(2)))
    func libreOffice() async throws {
        let soffice = try #require(ExternalTool.find("soffice"))
        let folder = try ExternalTool.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let docx = folder.appendingPathComponent("tricky.docx")
        try DOCXExporter().export(TrickyDocument.make()).write(to: docx)
        // A profile of its own, so that a LibreOffice the user has open does not take the job over.
        let profile = folder.appendingPathComponent("profile", isDirectory: true)
        let conversion = try await ExternalTool.run(soffice, [
            "-env:UserInstallation=\(profile.absoluteString)", "--headless", "--norestore",
            "--convert-to", "pdf", "--outdir", folder.path, docx.path,
        ], timeout: 110)
        let pdf = folder.appendingPathComponent("tricky.pdf")
        #expect(conversion.status == 0, "\(conversion.standardError)")
        let bytes = try Data(contentsOf: pdf)
        #expect(bytes.starts(with: Data("%PDF".utf8)))

        if let pdfinfo = ExternalTool.find("pdfinfo") {
            let info = String(decoding: try await ExternalTool.run(pdfinfo, [pdf.path]).standardOutput, as: UTF8.self)
            #expect(info.contains(#/Pages:\s+3\n/#), "one PDF page per source page, the empty one included")
        }
        if let pdftotext = ExternalTool.find("pdftotext") {
            let text = String(decoding: try await ExternalTool.run(pdftotext, [pdf.path, "-"]).standardOutput, as: UTF8.self)
            #expect(text.contains("Invoice, \"final\" <b>draft</b>"))
            #expect(text.contains("Tom & Jerry; 5 > 3"))
            #expect(text.contains("Last page"))
        }
    }
}
