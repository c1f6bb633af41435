import Foundation
import OCRChatBatch
import OCRChatConversion
import OCRChatEngine
import OCRChatExport
import Testing

@Suite("Running a batch")
struct BatchRunnerTests {
    /// One engine for the suite: starting Tesseract handles is the slow part.
    static let engine = Result { try OCREngine(configuration: EngineConfiguration(workers: 2)) }

    @Test("real files: converted, a corrupt one failed with its reason, text skipped; a rerun does nothing")
    func realFiles() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.copySample("phototest.png", to: "in/phototest.png")
        try folder.copySample("scanned-2pages.pdf", to: "in/sub/scanned-2pages.pdf")
        let png = try Data(contentsOf: samples.appendingPathComponent("phototest.png"))
        try folder.write(png.prefix(png.count / 3), at: "in/broken.png")
        try folder.write(Data("notes\n".utf8), at: "in/notes.txt")
        let configuration = BatchConfiguration(
            inputFolder: folder.url.appendingPathComponent("in"), outputFolder: folder.url.appendingPathComponent("out"),
            formats: [.txt, .json], recursive: true, concurrentDocuments: 4)
        let engine = try Self.engine.get()

        let first = try await BatchRunner(configuration: configuration, conversion: Conversion(reader: engine)).run()
        let status = Dictionary(uniqueKeysWithValues: first.files.map { ($0.path, $0.status) })
        #expect(status == ["phototest.png": .converted, "sub/scanned-2pages.pdf": .converted,
                           "broken.png": .failed, "notes.txt": .skipped])
        #expect(first.summary.pages == 3)
        let broken = try #require(first.files.first { $0.path == "broken.png" })
        #expect(broken.reason?.contains("PNG") == true, "\(broken.reason ?? "")")
        let text = try String(contentsOf: folder.url.appendingPathComponent("out/phototest.png.txt"), encoding: .utf8)
        #expect(text.contains("quick brown dog"))
        #expect(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("out/sub/scanned-2pages.pdf.json").path))
        let saved = try BatchReport.load(from: configuration.outputFolder)
        #expect(saved.files == first.files)
        #expect(saved.summary == first.summary)

        let second = try await BatchRunner(configuration: configuration, conversion: Conversion(reader: engine)).run()
        #expect(second.summary.converted == 0)
        #expect(second.summary.unchanged == 2)
        #expect(second.summary.failed == 1, "a failed file is tried again on every run")
    }

    @Test("a format that cannot be written leaves no output of that file at all")
    func allOrNothing() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.copySample("phototest.png", to: "in/a.png")
        struct Refused: Error, CustomStringConvertible { var description: String { "md refused" } }
        let configuration = BatchConfiguration(
            inputFolder: folder.url.appendingPathComponent("in"), outputFolder: folder.url.appendingPathComponent("out"),
            formats: [.txt, .md],
            render: { document, source, format in
                if format == .md { throw Refused() }
                return try BatchOutputs.render(document, source: source, format: format)
            })
        let report = try await BatchRunner(configuration: configuration, conversion: Conversion(reader: FakeReader())).run()
        #expect(report.files.map(\.status) == [.failed])
        #expect(report.files.first?.reason == "md refused")
        let written = try FileManager.default.contentsOfDirectory(atPath: configuration.outputFolder.path)
        #expect(written.sorted() == [".ocrchat-batch.json", "ocrchat-report.json"])
    }

    @Test("cancelled part-way: what was done is recorded, nothing half-written, the rest done next time")
    func cancelled() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for number in 1...6 { try folder.copySample("phototest.png", to: "in/page-\(number).png") }
        let configuration = BatchConfiguration(
            inputFolder: folder.url.appendingPathComponent("in"), outputFolder: folder.url.appendingPathComponent("out"),
            concurrentDocuments: 1)
        let slow = BatchRunner(configuration: configuration, conversion: Conversion(reader: FakeReader(delay: 0.3)))
        let task = Task { try await slow.run() }
        // Cancel once the manifest shows a file done, however busy the machine is: the suite's
        // live-server tests poll with blocking sleeps and can hold both of a 2-core machine's
        // cooperative threads for minutes, so the wait is long (it ends as soon as a file is done).
        let deadline = Date().addingTimeInterval(600)
        while BatchManifest.load(from: configuration.outputFolder).manifest.entries.isEmpty, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        task.cancel()
        let stopped = try await task.value
        #expect(stopped.summary.stopped)
        #expect((1..<6).contains(stopped.summary.converted), "\(stopped.summary)")
        let outputs = try FileManager.default.contentsOfDirectory(atPath: configuration.outputFolder.path)
            .filter { $0.hasSuffix(".txt") }
        #expect(outputs.count == stopped.summary.converted)
        #expect(!outputs.contains { $0.contains("partial") })

        let resumed = try await BatchRunner(configuration: configuration, conversion: Conversion(reader: FakeReader())).run()
        #expect(resumed.summary.unchanged == stopped.summary.converted)
        #expect(resumed.summary.converted == 6 - stopped.summary.converted)
        #expect(!resumed.summary.stopped)
    }

    @Test("the output folder must not be the input folder; a missing input folder is named")
    func folders() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let same = BatchConfiguration(inputFolder: folder.url, outputFolder: folder.url)
        #expect(throws: BatchError.invalidFolder("the output folder must not be the input folder")) { try same.validate() }
        let missing = BatchConfiguration(inputFolder: folder.url.appendingPathComponent("nope"), outputFolder: folder.url)
        #expect(throws: BatchError.self) { try missing.validate() }
    }
}
