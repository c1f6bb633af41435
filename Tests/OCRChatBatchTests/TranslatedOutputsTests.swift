import Foundation
import OCRChatBatch
import OCRChatConversion
import OCRChatEngine
import OCRChatModel
import Testing

/// The conversion's translation rule on real recognition and Apertium (en → es is installed by `make setup`).
@Suite("Translated outputs")
struct TranslatedOutputsTests {
    @Test("a translated batch: the Markdown is the translation, the JSON keeps the original beside it")
    func translatedBatch() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.copySample("phototest.png", to: "in/phototest.png")
        let configuration = BatchConfiguration(
            inputFolder: folder.url.appendingPathComponent("in"), outputFolder: folder.url.appendingPathComponent("out"),
            formats: [.md, .json], recognition: RecognitionOptions(language: "en", tool: .translate), translateTo: "es")
        let report = try await BatchRunner(configuration: configuration,
                                           conversion: Conversion(reader: BatchRunnerTests.engine.get())).run()
        #expect(report.summary.failed == 0)
        let out = folder.url.appendingPathComponent("out")
        let markdown = try String(contentsOf: out.appendingPathComponent("phototest.png.md"), encoding: .utf8)
        #expect(markdown.contains("perro") && !markdown.contains("quick brown"), "\(markdown)")
        let json = try String(contentsOf: out.appendingPathComponent("phototest.png.json"), encoding: .utf8)
        #expect(json.contains("quick brown") && json.contains("perro"), "\(json.prefix(400))")
    }

    @Test("a job's result and reading share one encoding of the pages, and read back as each alone")
    func jobFilesShareThePages() async throws {
        let conversion = Conversion(reader: try BatchRunnerTests.engine.get())
        let options = RecognitionOptions(language: "en", tool: .translate)
        let document = try await conversion.document(contentsOf: samples.appendingPathComponent("phototest.png"),
                                                     options: options, translateTo: "es")
        let files = try JobReading.files(of: document)
        // (As the document encoded alone reads back: confidences are written rounded.)
        let decoder = JSONDecoder()
        #expect(try decoder.decode(Document.self, from: files.result) == decoder.decode(Document.self, from: JSONEncoder().encode(document)))
        let alone = try JSONSerialization.jsonObject(with: JSONEncoder().encode(JobReading(document))) as? NSDictionary
        let shared = try JSONSerialization.jsonObject(with: files.reading) as? NSDictionary
        #expect(alone != nil && alone == shared)
        let reading = try #require(shared)
        #expect((reading["text"] as? String ?? "").contains("quick brown"))
        #expect((reading["translation"] as? String ?? "").contains("perro"))
        #expect((reading["pages"] as? [Any])?.count == 1)
        #expect((reading["markdown"] as? String ?? "").contains("quick brown"))
    }

    @Test("only a searchable PDF asked for: nothing is translated, its hidden text is the page's own")
    func searchablePDFKeepsTheOriginal() async throws {
        let conversion = Conversion(reader: try BatchRunnerTests.engine.get())
        let page = samples.appendingPathComponent("phototest.png")
        let options = RecognitionOptions(language: "en", tool: .translate)
        let forPDF = try await conversion.document(contentsOf: page, options: options, translateTo: "es", for: [.pdf])
        #expect(forPDF.translatedTo == nil)
        let forJSON = try await conversion.document(contentsOf: page, options: options, translateTo: "es", for: [.json])
        #expect(forJSON.translatedTo != nil)
        let pdf = try Conversion.export(forJSON, as: .pdf, original: { try Data(contentsOf: page) })
        #expect(pdf.starts(with: Data("%PDF-".utf8)))
        #expect(throws: (any Error).self) { try Conversion.export(forJSON, as: .pdf) }  // no original: no PDF
    }
}
