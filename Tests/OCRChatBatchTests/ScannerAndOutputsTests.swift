import Foundation
import OCRChatBatch
import OCRChatExport
import Testing

@Suite("Finding the files of a batch and naming their outputs")
struct ScannerAndOutputsTests {
    @Test("visible regular files, top level unless recursive, sorted, without the output folder")
    func scan() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write(Data("x".utf8), at: "b.png")
        try folder.write(Data("x".utf8), at: "a.pdf")
        try folder.write(Data("x".utf8), at: ".hidden.png")
        try folder.write(Data("x".utf8), at: "sub/deeper/c.tif")
        try folder.write(Data("x".utf8), at: ".cache/d.png")
        try folder.write(Data("x".utf8), at: "out/a.pdf.txt")
        let output = folder.url.appendingPathComponent("out")

        let top = BatchScanner(inputFolder: folder.url, recursive: false, excluding: [output]).scan()
        #expect(top.map(\.relativePath) == ["a.pdf", "b.png"])
        let all = BatchScanner(inputFolder: folder.url, recursive: true, excluding: [output]).scan()
        #expect(all.map(\.relativePath) == ["a.pdf", "b.png", "sub/deeper/c.tif"])
        #expect(all[0].stamp.size == 1)
    }

    @Test("the type comes from the content: a PNG named .txt is supported, text named .png is not")
    func sniff() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let image = try folder.copySample("phototest.png", to: "looks-like.txt")
        let text = try folder.write(Data("just some notes\n".utf8), at: "notes.png")
        let empty = try folder.write(Data(), at: "empty.pdf")
        #expect(BatchScanner.sniff(image) == .supported(.png))
        guard case .unsupported(let reason) = BatchScanner.sniff(text) else { Issue.record("text taken as a document"); return }
        #expect(reason.contains("plain text"))
        guard case .unsupported = BatchScanner.sniff(empty) else { Issue.record("an empty file taken as a document"); return }
    }

    @Test("formats: a comma-separated list, each once; unknown names refused clearly")
    func formats() throws {
        #expect(try BatchOutputs.parseFormats("md, txt,md") == [.md, .txt])
        #expect(try BatchOutputs.parseFormats("ALTO") == [.alto])
        #expect(throws: BatchError.self) { try BatchOutputs.parseFormats("") }
        do {
            _ = try BatchOutputs.parseFormats("txt,xlsx")
            Issue.record("xlsx accepted")
        } catch {
            #expect("\(error)".contains("unknown format 'xlsx'"))
        }
        #expect(try BatchOutputs.parseFormats("md,pdf") == [.md, .pdf])
    }

    @Test("an output keeps the input's whole name, so scan.png and scan.pdf never share one")
    func outputNames() {
        #expect(BatchOutputs.outputPath(for: "a/b/scan.pdf", format: .md) == "a/b/scan.pdf.md")
        // A searchable PDF of a PDF is `scan.ocr.pdf`, not `scan.pdf.pdf`; of an image, `scan.png.pdf`.
        #expect(BatchOutputs.outputPath(for: "a/b/scan.pdf", format: .pdf) == "a/b/scan.ocr.pdf")
        #expect(BatchOutputs.outputPath(for: "a/b/SCAN.PDF", format: .pdf) == "a/b/SCAN.ocr.pdf")
        #expect(BatchOutputs.outputPath(for: "scan.png", format: .pdf) == "scan.png.pdf")
        #expect(BatchOutputs.outputPath(for: "scan.png", format: .alto) == "scan.png.alto.xml")
        #expect(BatchOutputs.outputPath(for: "scan.png", format: .txt) != BatchOutputs.outputPath(for: "scan.pdf", format: .txt))
    }
}

@Suite("Remembering what is done, and waiting for files to settle")
struct ManifestTests {
    @Test("a file is up to date only with the same settings, all outputs present and the same stamp or bytes")
    func upToDate() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let input = try folder.write(Data("content".utf8), at: "in/a.png")
        try folder.write(Data("text".utf8), at: "out/a.png.txt")
        let output = folder.url.appendingPathComponent("out")
        let stamp = try #require(FileStamp.of(input))
        let file = ScannedFile(relativePath: "a.png", url: input, stamp: stamp)
        var manifest = BatchManifest()
        manifest.entries["a.png"] = .init(stamp: stamp, sha256: "abc", outputs: ["a.png.txt", "a.png.md"], pages: 1,
                                          settings: "s", convertedAt: Date())
        var hashed = 0
        func check(_ file: ScannedFile, outputs: [String] = ["a.png.txt"], settings: String = "s") -> Bool {
            manifest.isUpToDate(file, outputs: outputs, settings: settings, outputFolder: output) { hashed += 1; return "abc" }
        }
        #expect(check(file))
        #expect(hashed == 0, "an unchanged stamp needs no hashing")
        #expect(!check(file, settings: "other"))
        #expect(!check(file, outputs: ["a.png.txt", "a.png.md"]), "a.png.md was recorded but is gone")
        #expect(!check(file, outputs: ["a.png.json"]))
        var touched = file
        touched.stamp.modifiedNanoseconds += 1
        #expect(check(touched), "touched, same bytes")
        #expect(hashed == 1)
        manifest.entries["a.png"]?.sha256 = "different"
        #expect(!check(touched))
    }

    @Test("the manifest survives a round trip; a corrupt one means starting afresh, with a warning")
    func roundTrip() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var manifest = BatchManifest()
        manifest.entries["x/y.pdf"] = .init(stamp: FileStamp(size: 3, modifiedNanoseconds: 1_700_000_000_123_456_789),
                                            sha256: "00ff", outputs: ["x/y.pdf.md"], pages: 2, settings: "s",
                                            convertedAt: Date(timeIntervalSince1970: 1_700_000_000))
        try manifest.save(to: folder.url)
        let loaded = BatchManifest.load(from: folder.url)
        #expect(loaded.manifest == manifest)
        #expect(loaded.problem == nil)
        try folder.write(Data("{ not json".utf8), at: BatchManifest.fileName)
        let corrupt = BatchManifest.load(from: folder.url)
        #expect(corrupt.manifest.entries.isEmpty)
        #expect(corrupt.problem?.contains("converting everything again") == true)
    }

    @Test("a file is taken once its stamp has held still for the settle time")
    func settle() {
        var tracker = SettleTracker(settleSeconds: 2)
        let start = Date()
        func file(size: Int64) -> ScannedFile {
            ScannedFile(relativePath: "scan.pdf", url: URL(fileURLWithPath: "/x/scan.pdf"),
                        stamp: FileStamp(size: size, modifiedNanoseconds: size))
        }
        #expect(tracker.settled([file(size: 10)], now: start).isEmpty)
        #expect(tracker.settled([file(size: 20)], now: start + 1.5).isEmpty, "still growing")
        #expect(tracker.settled([file(size: 20)], now: start + 3).isEmpty, "1.5 s still")
        #expect(tracker.settled([file(size: 20)], now: start + 3.6).count == 1)
        #expect(tracker.settled([], now: start + 4).isEmpty)
        #expect(tracker.settled([file(size: 20)], now: start + 5).isEmpty, "gone and back: watched afresh")
    }
}

@Suite("Progress output")
struct ProgressTests {
    @Test("the bar shows files, pages, pace, time left and the file in hand, within the width")
    func bar() {
        let snapshot = ProgressSnapshot(total: 10, done: 5, pages: 12, elapsed: 30, current: "a/scan.pdf")
        let line = ProgressBar.line(snapshot, width: 200)
        #expect(line == "[##########··········] 5/10 files · 12 pages · 24 pages/min · 0:30 left · a/scan.pdf")
        #expect(ProgressBar.line(snapshot, width: 30).count == 30)
        // Short of room, the pace and the page count give way to the name, which is shown whole.
        let narrow = ProgressBar.line(ProgressSnapshot(total: 10, done: 5, pages: 12, elapsed: 30,
                                                       current: "letters/2024/march/scanned-2pages.pdf"), width: 90)
        #expect(narrow.count <= 90)
        #expect(narrow.hasSuffix(" · letters/2024/march/scanned-2pages.pdf"), "\(narrow)")
        #expect(!narrow.contains("pages/min"))
        // A path longer than any room keeps its end (the file), at least 40 columns of it.
        let deep = "archive/" + String(repeating: "sub-folder/", count: 8) + "scanned-2pages.pdf"
        let cut = ProgressBar.line(ProgressSnapshot(total: 10, done: 5, pages: 12, elapsed: 30, current: deep), width: 79)
        #expect(cut.count == 79)
        #expect(cut.hasSuffix("sub-folder/scanned-2pages.pdf") && cut.contains(" · …"), "\(cut)")
        #expect(ProgressBar.clock(3725) == "1:02:05")
    }

    @Test("plain lines: one per converted, failed or skipped file, then the summary")
    func lines() async {
        let printed = PrintedText()
        let progress = ConsoleProgress(style: .lines, write: { printed.append($0) })
        await progress.willConvert(count: 2)
        await progress.finished(FileResult(path: "a.png", status: .converted, pages: 1, outputs: ["a.png.txt"], seconds: 0.42))
        await progress.finished(FileResult(path: "b.png", status: .failed, reason: "truncated"))
        await progress.finished(FileResult(path: "c.png", status: .unchanged, pages: 1))
        var summary = BatchSummary()
        summary.converted = 1
        summary.failed = 1
        summary.unchanged = 1
        summary.pages = 1
        summary.seconds = 2
        await progress.summarize(summary, failures: [FileResult(path: "b.png", status: .failed, reason: "truncated")],
                                 report: URL(fileURLWithPath: "/out/ocrchat-report.json"))
        #expect(printed.value == """
            converted a.png (1 page, 0.4 s)
            failed b.png: truncated
            1 converted, 1 unchanged, 0 skipped, 1 failed; 1 page in 2.0 s (30 pages/min)
              failed: b.png: truncated
            report: /out/ocrchat-report.json

            """)
        #expect(!printed.value.contains("\r"))
    }
}
