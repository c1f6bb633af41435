import Foundation
import Testing

/// `ocrchat batch` run as an office would run it: on a folder of real scans, again the next day,
/// killed half-way, as a hot folder, on a terminal and in a log.
@Suite("ocrchat batch", .serialized, .oneMachineSlot)
struct BatchCommandTests {
    /// A scratch folder with IN/ and OUT/ below it.
    struct Workspace {
        let root: URL
        var input: URL { root.appendingPathComponent("IN") }
        var output: URL { root.appendingPathComponent("OUT") }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-batch-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root.appendingPathComponent("IN"), withIntermediateDirectories: true)
        }

        func remove() { try? FileManager.default.removeItem(at: root) }

        /// Copies a sample to IN/`path`.
        func add(_ sample: String, as path: String) throws {
            try put(Data(contentsOf: ConvertCommandTests.samples.appendingPathComponent(sample)), at: path)
        }

        func put(_ data: Data, at path: String) throws {
            let url = input.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }

        /// The tree the issue asks for: nested folders, two inputs sharing a stem, a hidden file,
        /// a text file and a truncated PNG.
        func fillWithSamples() throws {
            try add("phototest.png", as: "phototest.png")
            try add("phototest.jpg", as: "phototest.jpg")
            try add("born-digital-2pages.pdf", as: "born-digital-2pages.pdf")
            try add("letter-3pages.tif", as: "letters/letter-3pages.tif")
            try add("scanned-2pages.pdf", as: "letters/2024/scanned-2pages.pdf")
            try add("phototest.png", as: ".hidden.png")
            try put(Data("call the printer on Monday\n".utf8), at: "notes.txt")
            let png = try Data(contentsOf: ConvertCommandTests.samples.appendingPathComponent("phototest.png"))
            try put(png.prefix(png.count / 3), at: "broken.png")
        }

        func report() throws -> [String: Any] {
            let data = try Data(contentsOf: output.appendingPathComponent("ocrchat-report.json"))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }

        /// Each input's report entry, by path.
        func reportFiles() throws -> [String: [String: Any]] {
            let files = try #require(try report()["files"] as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: files.map { ($0["path"] as? String ?? "", $0) })
        }

        /// Relative paths the manifest records as done.
        func manifestEntries() -> Set<String> {
            guard let data = try? Data(contentsOf: output.appendingPathComponent(".ocrchat-batch.json")),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let entries = object["entries"] as? [String: Any]
            else { return [] }
            return Set(entries.keys)
        }

        func outputText(_ path: String) throws -> String {
            try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
        }

        func modificationDate(_ path: String) throws -> Date {
            try #require(try FileManager.default.attributesOfItem(atPath: output.appendingPathComponent(path).path)[.modificationDate] as? Date)
        }

        /// Files left with the temporary marker anywhere under OUT.
        func partialFiles() -> [String] {
            (FileManager.default.enumerator(atPath: output.path)?.allObjects as? [String] ?? [])
                .filter { $0.contains("ocrchat-partial") }
        }
    }

    /// `ocrchat batch` running in the background, its stderr in a file.
    final class BackgroundBatch {
        let process = Process()
        let log: URL

        init(_ arguments: [String], log: URL) throws {
            self.log = log
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.executableURL = ConvertCommandTests.binary
            process.arguments = ["batch"] + arguments
            var environment = ProcessInfo.processInfo.environment
            environment.removeValue(forKey: "OMP_THREAD_LIMIT")
            process.environment = environment
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
        }

        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }

        var stderr: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        /// Sends `signal` and returns the exit status once it has stopped (nil if not within `seconds`).
        func stop(with signal: Int32, within seconds: Double) async -> Int32? {
            kill(process.processIdentifier, signal)
            return await process.exited(within: seconds) ? process.terminationStatus : nil
        }
    }

    /// Waits until `condition` holds (true) or `seconds` pass (false).
    static func wait(upTo seconds: Double, every interval: Double = 0.05, until condition: () -> Bool) async -> Bool {
        await eventually(within: seconds, every: interval, condition)
    }

    /// What `ocrchat convert --format FORMAT` writes for each of `inputs` (paths below IN), by input.
    static func converted(_ inputs: [String], format: String, in workspace: Workspace) async throws -> [String: Data] {
        var result: [String: Data] = [:]
        for input in inputs {
            let folder = workspace.root.appendingPathComponent("convert-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let run = try await ConvertCommandTests.ocrchat(["convert", "--format", format, "-o", folder.path + "/",
                                                       workspace.input.appendingPathComponent(input).path])
            #expect(run.status == 0, "\(run.stderr)")
            let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first)
            result[input] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return result
    }

    /// The main part of a Word file: the package's zip dates differ between runs, the text does not.
    static func documentXML(_ docx: Data, in workspace: Workspace) async throws -> String {
        let file = workspace.root.appendingPathComponent("\(UUID().uuidString).docx")
        try docx.write(to: file)
        let unzip = Process()
        unzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        unzip.arguments = ["unzip", "-p", file.path, "word/document.xml"]
        let out = Pipe()
        unzip.standardOutput = out
        let xml = try await ChildProcess.output(of: unzip, through: out).data
        return String(decoding: xml, as: UTF8.self)
    }

    @Test("a folder tree: every format written, equal to convert; the corrupt file reported, exit 1; a rerun does nothing")
    func convertsATree() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.fillWithSamples()
        let formats = ["txt", "md", "json", "csv", "docx", "hocr", "alto", "pdf"]
        let run = try await ConvertCommandTests.ocrchat(["batch", workspace.input.path, workspace.output.path, "--recursive",
                                                   "--format", formats.joined(separator: ",")])
        #expect(run.status == 1, "a file failed: \(run.stderr)")

        let documents = ["phototest.png", "phototest.jpg", "born-digital-2pages.pdf", "letters/letter-3pages.tif",
                         "letters/2024/scanned-2pages.pdf"]
        let files = try workspace.reportFiles()
        #expect(Set(files.keys) == Set(documents + ["notes.txt", "broken.png"]), "hidden files are not inputs")
        for document in documents {
            #expect(files[document]?["status"] as? String == "converted")
            #expect((files[document]?["outputs"] as? [String])?.count == formats.count)
        }
        #expect(files["letters/letter-3pages.tif"]?["pages"] as? Int == 3)
        #expect(files["notes.txt"]?["status"] as? String == "skipped")
        #expect((files["notes.txt"]?["reason"] as? String)?.contains("plain text") == true)
        #expect(files["broken.png"]?["status"] as? String == "failed")
        #expect((files["broken.png"]?["reason"] as? String)?.isEmpty == false)
        let summary = try #require(try workspace.report()["summary"] as? [String: Any])
        #expect(summary["converted"] as? Int == 5)
        #expect(summary["failed"] as? Int == 1)
        #expect(summary["skipped"] as? Int == 1)
        #expect(summary["pages"] as? Int == 9)

        // Two inputs with one stem keep their own outputs; the tree is mirrored.
        #expect(try workspace.outputText("phototest.png.txt").contains("quick brown dog"))
        #expect(try workspace.outputText("phototest.jpg.txt").contains("quick brown dog"))
        #expect(FileManager.default.fileExists(atPath: workspace.output.appendingPathComponent("letters/2024/scanned-2pages.pdf.alto.xml").path))

        // The same bytes as `ocrchat convert` (the text of every document, every format of one).
        for (input, text) in try await Self.converted(documents, format: "txt", in: workspace) {
            #expect(try Data(contentsOf: workspace.output.appendingPathComponent("\(input).txt")) == text, "\(input)")
        }
        for format in formats where format != "txt" {
            let expected = try #require(try await Self.converted(["phototest.png"], format: format, in: workspace)["phototest.png"])
            let extensionName = format == "alto" ? "alto.xml" : format
            let written = try Data(contentsOf: workspace.output.appendingPathComponent("phototest.png.\(extensionName)"))
            if format == "pdf" {
                // A searchable PDF of the same page: the same text for pdftotext, a valid file.
                #expect(written.starts(with: Data("%PDF-".utf8)))
                #expect(written == expected || written.count > 1000)
            } else if format == "docx" {
                #expect(try await Self.documentXML(written, in: workspace) == Self.documentXML(expected, in: workspace))
            } else if format == "json" {
                // The JSON exporter's key order changes from one process to the next; the values do not.
                let writtenObject = try JSONSerialization.jsonObject(with: written) as? NSDictionary
                let expectedObject = try JSONSerialization.jsonObject(with: expected) as? NSDictionary
                #expect(writtenObject != nil && writtenObject == expectedObject)
            } else {
                #expect(written == expected, "\(format)")
            }
        }

        // Not a terminal: one plain line per file and the summary.
        #expect(!run.stderr.contains("\r"))
        #expect(run.stderr.contains("converted letters/letter-3pages.tif (3 pages"))
        #expect(run.stderr.contains("failed broken.png: "))
        #expect(run.stderr.contains("skipped notes.txt: "))
        #expect(run.stderr.contains("5 converted, 0 unchanged, 1 skipped, 1 failed; 9 pages in"))

        // The next morning: nothing changed, nothing converted, nothing rewritten.
        let before = try workspace.modificationDate("letters/letter-3pages.tif.docx")
        let started = Date()
        let again = try await ConvertCommandTests.ocrchat(["batch", workspace.input.path, workspace.output.path, "--recursive",
                                                     "--format", formats.joined(separator: ",")])
        #expect(again.status == 1, "the corrupt file is still there and still fails")
        #expect(again.stderr.contains("0 converted, 5 unchanged, 1 skipped, 1 failed; 0 pages"))
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(try workspace.modificationDate("letters/letter-3pages.tif.docx") == before)

        // A changed file is converted again; only it.
        try workspace.add("phototest.png", as: "phototest.jpg")
        let changed = try await ConvertCommandTests.ocrchat(["batch", workspace.input.path, workspace.output.path, "--recursive",
                                                       "--format", "txt"])
        #expect(changed.stderr.contains("1 converted, 4 unchanged, 1 skipped, 1 failed"), "\(changed.stderr)")
        #expect(try workspace.reportFiles()["phototest.jpg"]?["status"] as? String == "converted")
    }

    @Test("killed with SIGKILL half-way: the rerun finishes the rest and leaves the done files alone")
    func resumesAfterKill() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        for number in 1...6 { try workspace.add("phototest.png", as: "page-\(number).png") }
        try workspace.add("letter-3pages.tif", as: "letter.tif")
        try workspace.add("scanned-2pages.pdf", as: "scanned.pdf")
        let all: Set<String> = ["page-1.png", "page-2.png", "page-3.png", "page-4.png", "page-5.png", "page-6.png",
                                "letter.tif", "scanned.pdf"]
        let batch = try BackgroundBatch([workspace.input.path, workspace.output.path, "--jobs", "1"],
                                        log: workspace.root.appendingPathComponent("first.log"))
        #expect(await Self.wait(upTo: 60, every: 0.02) { !workspace.manifestEntries().isEmpty || !batch.process.isRunning })
        kill(batch.process.processIdentifier, SIGKILL)
        _ = await batch.process.exitStatus()
        let done = workspace.manifestEntries()
        try #require(!done.isEmpty && done.count < all.count, "killed after \(done.count) of \(all.count) files")
        var dates: [String: Date] = [:]
        for path in done { dates[path] = try workspace.modificationDate("\(path).txt") }

        let rerun = try await ConvertCommandTests.ocrchat(["batch", workspace.input.path, workspace.output.path])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let files = try workspace.reportFiles()
        #expect(Set(files.keys) == all)
        for path in all {
            #expect(files[path]?["status"] as? String == (done.contains(path) ? "unchanged" : "converted"), "\(path)")
            #expect(FileManager.default.fileExists(atPath: workspace.output.appendingPathComponent("\(path).txt").path))
        }
        for (path, date) in dates { #expect(try workspace.modificationDate("\(path).txt") == date, "\(path) was redone") }
        #expect(workspace.partialFiles().isEmpty)
        #expect(workspace.manifestEntries() == all)
    }

    @Test("a hot folder takes a file written slowly only once it is complete, and stops on SIGTERM with exit 0")
    func watchesSlowWrites() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let batch = try BackgroundBatch([workspace.input.path, workspace.output.path, "--watch", "--settle-seconds", "1.5"],
                                        log: workspace.root.appendingPathComponent("watch.log"))
        let image = try Data(contentsOf: ConvertCommandTests.samples.appendingPathComponent("phototest.png"))
        let arriving = workspace.input.appendingPathComponent("arriving.png")
        let output = workspace.output.appendingPathComponent("arriving.png.txt")

        // A scanner writing in bursts, pausing less than the settle time each time.
        try image.prefix(image.count / 2).write(to: arriving)
        for range in [image.count / 2..<image.count * 3 / 4, image.count * 3 / 4..<image.count - 100] {
            try await Task.sleep(for: .seconds(0.9))
            let handle = try FileHandle(forWritingTo: arriving)
            try handle.seekToEnd()
            try handle.write(contentsOf: image[range])
            try handle.close()
        }
        try await Task.sleep(for: .seconds(0.9))
        #expect(!FileManager.default.fileExists(atPath: output.path), "taken while still being written")
        #expect(!batch.stderr.contains("arriving.png"))

        let handle = try FileHandle(forWritingTo: arriving)
        try handle.seekToEnd()
        try handle.write(contentsOf: image.suffix(100))
        try handle.close()
        #expect(await Self.wait(upTo: 30) { FileManager.default.fileExists(atPath: output.path) }, "\(batch.stderr)")
        let expected = try await Self.converted(["arriving.png"], format: "txt", in: workspace)["arriving.png"]
        #expect(try Data(contentsOf: output) == expected)
        #expect(batch.stderr.contains("converted arriving.png (1 page"))

        #expect(await batch.stop(with: SIGTERM, within: 15) == 0, "\(batch.stderr)")
        #expect(try workspace.reportFiles()["arriving.png"]?["status"] as? String == "converted")
        #expect(workspace.manifestEntries() == ["arriving.png"])
        #expect(workspace.partialFiles().isEmpty)
        #expect(batch.stderr.contains("1 converted, 0 unchanged, 0 skipped, 0 failed"))
    }

    @Test("--move-originals: finished originals go to done/, failed ones to failed/, keeping their folders")
    func movesOriginals() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.add("phototest.png", as: "desk/scan.png")
        let png = try Data(contentsOf: ConvertCommandTests.samples.appendingPathComponent("phototest.png"))
        try workspace.put(png.prefix(2_000), at: "broken.png")
        try workspace.put(Data("not a scan".utf8), at: "notes.txt")
        let batch = try BackgroundBatch([workspace.input.path, workspace.output.path, "--watch", "--recursive",
                                         "--move-originals", "--settle-seconds", "0.3"],
                                        log: workspace.root.appendingPathComponent("move.log"))
        let done = workspace.input.appendingPathComponent("done/desk/scan.png")
        let failed = workspace.input.appendingPathComponent("failed/broken.png")
        #expect(await Self.wait(upTo: 30) {
            FileManager.default.fileExists(atPath: done.path) && FileManager.default.fileExists(atPath: failed.path)
        }, "\(batch.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.input.appendingPathComponent("desk/scan.png").path))
        #expect(try workspace.outputText("desk/scan.png.txt").contains("quick brown dog"))
        #expect(FileManager.default.fileExists(atPath: workspace.input.appendingPathComponent("notes.txt").path),
                "a file that is not a document is left where it is")

        // The same name arriving again does not replace the first original in done/.
        try workspace.add("phototest.png", as: "desk/scan.png")
        #expect(await Self.wait(upTo: 30) {
            FileManager.default.fileExists(atPath: workspace.input.appendingPathComponent("done/desk/scan (2).png").path)
        }, "\(batch.stderr)")
        #expect(await batch.stop(with: SIGINT, within: 15) == 0, "\(batch.stderr)")
        let files = try workspace.reportFiles()
        #expect(files["broken.png"]?["status"] as? String == "failed")
        #expect(files["notes.txt"]?["status"] as? String == "skipped")
    }

    @Test("on a terminal: a bar redrawn in place with files, pages, pace and the file in hand")
    func progressBarOnATerminal() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.add("letter-3pages.tif", as: "letter.tif")
        try workspace.add("phototest.png", as: "photo.png")
        try workspace.put(Data("x".utf8), at: "notes.txt")
        let command = [ConvertCommandTests.binary.path, "batch", workspace.input.path, workspace.output.path]
            .map { "'\($0)'" }.joined(separator: " ")
        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        script.arguments = ["-qfec", command, "/dev/null"]
        let out = Pipe()
        script.standardOutput = out
        script.standardError = out
        script.standardInput = FileHandle.nullDevice
        let (status, output) = try await ChildProcess.output(of: script, through: out)
        let text = String(decoding: output, as: UTF8.self)
        #expect(status == 0, "\(text)")
        // The terminal turns "\n" into "\r\n"; a redraw is a "\r" that does not end a line.
        let redraws = text.components(separatedBy: "\r\u{1B}[K[").count - 1
        #expect(redraws >= 2, "\(text.debugDescription)")
        #expect(text.contains("/2 files · "))
        #expect(text.contains("pages/min"))
        #expect(text.contains("letter.tif") || text.contains("photo.png"))
        #expect(text.contains("] 2/2 files · 4 pages"))
        #expect(text.contains("skipped notes.txt"))
        #expect(text.contains("2 converted, 0 unchanged, 1 skipped, 0 failed; 4 pages in"))
    }

    @Test("a wrong format and a missing folder are refused clearly")
    func usageErrors() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let xlsx = try await ConvertCommandTests.ocrchat(["batch", workspace.input.path, workspace.output.path, "--format", "md,xlsx"])
        #expect(xlsx.status != 0)
        #expect(xlsx.stderr.contains("unknown format 'xlsx'"))
        let missing = try await ConvertCommandTests.ocrchat(["batch", workspace.root.appendingPathComponent("nope").path,
                                                       workspace.output.path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no such folder"))
        let same = try await ConvertCommandTests.ocrchat(["batch", workspace.input.path, workspace.input.path])
        #expect(same.status == 1)
        #expect(same.stderr.contains("must not be the input folder"))
    }

    @Test("--translate-to es: the text, Markdown and Word outputs are Spanish, the JSON keeps both; an unavailable pair is refused")
    func translates() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.add("phototest.png", as: "phototest.png")
        try workspace.add("letter-3pages.tif", as: "letters/letter-3pages.tif")
        let run = try await ConvertCommandTests.ocrchat(["batch", workspace.input.path, workspace.output.path, "--recursive",
                                                   "--language", "en", "--translate-to", "es", "--format", "txt,md,json,docx"])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try workspace.outputText("phototest.png.txt")
        #expect(text.contains("perro") && !text.contains("quick brown dog"), "\(text)")
        #expect(try workspace.outputText("phototest.png.md").contains("perro"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: workspace.output
            .appendingPathComponent("phototest.png.json"))) as? [String: Any])
        #expect((json["text"] as? String)?.contains("quick brown dog") == true)
        #expect((json["translation"] as? String)?.contains("perro") == true)
        let docx = try await Self.documentXML(Data(contentsOf: workspace.output.appendingPathComponent("phototest.png.docx")), in: workspace)
        #expect(docx.contains("perro"))
        // Every page of a multi-page file is translated, in its own place.
        let letter = try workspace.outputText("letters/letter-3pages.tif.txt")
        #expect(!letter.isEmpty && letter.components(separatedBy: "\u{0C}").count == 3, "\(letter)")

        // `--tool translate` is the same switch; without a target, or with a pair not installed, it stops at once.
        let noTarget = try await ConvertCommandTests.ocrchat(["batch", workspace.input.path, workspace.output.path, "--tool", "translate"])
        #expect(noTarget.status != 0 && noTarget.stderr.contains("--translate-to"))
        let japanese = try await ConvertCommandTests.ocrchat(["batch", workspace.input.path, workspace.output.path, "--translate-to", "ja"])
        #expect(japanese.status != 0 && japanese.stderr.contains("eng-spa"), "\(japanese.stderr)")
    }
}
