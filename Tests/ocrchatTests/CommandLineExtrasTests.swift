import Foundation
import Testing

/// Issue 24's command-line items, through the real binary: several formats from one reading,
/// output naming, and the rough edges (a missing folder, binary on a terminal, a busy port, the
/// batch progress bar and its searchable PDF's name).
@Suite("ocrchat convert and batch: several formats, naming, rough edges", .serialized, .oneMachineSlot)
struct CommandLineExtrasTests {
    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-extras-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Runs `command` (a shell line) on a pseudo-terminal with `script`, stdout and stderr both a
    /// terminal; returns the exit status and what the terminal showed.
    static func onTerminal(_ arguments: [String]) async throws -> (Int32, String) {
        let command = ([ConvertCommandTests.binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        script.arguments = ["-qfec", command, "/dev/null"]
        let out = Pipe()
        script.standardOutput = out
        script.standardError = out
        script.standardInput = FileHandle.nullDevice
        let (status, text) = try await ChildProcess.output(of: script, through: out)
        return (status, String(decoding: text, as: UTF8.self))
    }

    static func pdfText(_ url: URL) async throws -> String { try await ChildProcess.run("pdftotext", [url.path, "-"]).stdout }
    static func docxText(_ url: URL) async throws -> String { try await ChildProcess.run("unzip", ["-p", url.path, "word/document.xml"]).stdout }

    /// How many pages the engine read, from its own `--verbose` log.
    static func pagesRead(_ stderr: String) -> Int {
        stderr.components(separatedBy: "\n").filter { $0.contains("page read") }.count
    }

    @Test("--format md,pdf,docx -o STEM: three files from one reading, each read back by a real consumer")
    func severalFormatsFromOneReading() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let single = try await ConvertCommandTests.ocrchat(["convert", "-v", "--format", "txt", "--language", "eng", "-o",
                                                      folder.appendingPathComponent("one.txt").path, ConvertCommandTests.sample("phototest.png")])
        #expect(single.status == 0, "\(single.stderr)")
        let run = try await ConvertCommandTests.ocrchat(["convert", "-v", "--format", "md,pdf,docx", "--language", "eng", "-o",
                                                   folder.appendingPathComponent("out").path, ConvertCommandTests.sample("phototest.png")])
        #expect(run.status == 0, "\(run.stderr)")
        // One reading: the document is read once, and the engine reads no more pages than for one format.
        #expect(run.stderr.components(separatedBy: "document read").count - 1 == 1, "\(run.stderr)")
        #expect(Self.pagesRead(run.stderr) >= 1)
        #expect(Self.pagesRead(run.stderr) == Self.pagesRead(single.stderr))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["one.txt", "out.docx", "out.md", "out.pdf"])
        #expect(try String(contentsOf: folder.appendingPathComponent("out.md"), encoding: .utf8).contains("quick brown dog"))
        #expect(try await Self.pdfText(folder.appendingPathComponent("out.pdf")).contains("quick brown dog"))
        #expect(try await Self.docxText(folder.appendingPathComponent("out.docx")).contains("quick"))

        // `-o out.pdf` with pdf among the formats is the stem `out`, not `out.pdf.md`.
        let named = folder.appendingPathComponent("named")
        try FileManager.default.createDirectory(at: named, withIntermediateDirectories: true)
        let stem = try await ConvertCommandTests.ocrchat(["convert", "-f", "pdf,txt", "-o", named.appendingPathComponent("scan.pdf").path,
                                                    ConvertCommandTests.sample("phototest.png")])
        #expect(stem.status == 0, "\(stem.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: named.path).sorted() == ["scan.pdf", "scan.txt"])

        // Several inputs and formats into a folder: NAME.EXT for each.
        let several = folder.appendingPathComponent("several")
        let both = try await ConvertCommandTests.ocrchat(["convert", "-f", "txt,alto", "-o", several.path + "/",
                                                    ConvertCommandTests.sample("phototest.gif"), ConvertCommandTests.sample("scanned-2pages.pdf")])
        #expect(both.status == 0, "\(both.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: several.path).sorted()
                == ["phototest.alto.xml", "phototest.txt", "scanned-2pages.alto.xml", "scanned-2pages.txt"])

        // Several formats cannot share stdout; an unknown one is named.
        let shared = try await ConvertCommandTests.ocrchat(["convert", "-f", "md,txt", ConvertCommandTests.sample("phototest.png")])
        #expect(shared.status != 0)
        #expect(shared.stderr.contains("names several formats: give --output a stem"))
        let unknown = try await ConvertCommandTests.ocrchat(["convert", "-f", "md,xlsx", ConvertCommandTests.sample("phototest.png")])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown format 'xlsx'"))
        #expect(try await ConvertCommandTests.ocrchat(["convert", "--help"]).stdout.contains("-o out gives out.md, out.pdf, out.docx"))
    }

    @Test("-o into a folder that does not exist: one line naming the folder, before any page is read")
    func missingOutputFolder() async throws {
        let missing = "/nonexistent-\(UUID().uuidString)"
        let started = Date()
        let run = try await ConvertCommandTests.ocrchat(["convert", "-o", "\(missing)/x.txt", ConvertCommandTests.sample("letter-3pages.tif")])
        #expect(run.status == 1)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(run.stderr)")
        #expect(lines.first == "ocrchat: error: --output \(missing)/x.txt: the folder \(missing) does not exist")
        #expect(!run.stderr.contains("NSCocoaErrorDomain"))
        #expect(Date().timeIntervalSince(started) < 5, "refused before three pages were read")
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test("docx or pdf with no -o on a terminal is refused with a hint; into a pipe it is written")
    func binaryOnATerminal() async throws {
        for format in ["docx", "pdf"] {
            let (status, text) = try await Self.onTerminal(["convert", "-f", format, ConvertCommandTests.sample("phototest.png")])
            #expect(status != 0)
            #expect(text.contains("--format \(format) is a binary file: give -o FILE.\(format), or redirect stdout"), "\(text)")
            #expect(!text.contains("PK\u{03}\u{04}") && !text.contains("%PDF"))
        }
        let piped = try await ConvertCommandTests.ocrchat(["convert", "-f", "docx", ConvertCommandTests.sample("phototest.png")])
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout.hasPrefix("PK"))
        // Text formats still go to the terminal.
        let (status, text) = try await Self.onTerminal(["convert", ConvertCommandTests.sample("phototest.png")])
        #expect(status == 0)
        #expect(text.contains("quick brown dog"))
    }

    @Test("serve on a port already in use: one line that says so, and no 'serving on'")
    func portInUse() async throws {
        let server = try await ServerProcess(dataFolder: Live.temporaryFolder("busy"))
        let second = try await ConvertCommandTests.ocrchat(["serve", "--data", Live.temporaryFolder("busy-second").path,
                                                      "--port", String(server.port), "--isolation", "none"])
        #expect(second.status == 1)
        #expect(second.stderr.contains("ocrchat: error: port \(server.port) on 127.0.0.1 is already in use"), "\(second.stderr)")
        #expect(!second.stderr.contains("serving on"))
        #expect(!second.stderr.contains("bind(descriptor"))
        #expect(try await server.http(["\(server.baseURL)/healthz"]).0 == 200, "the first server is untouched")
        #expect(server.log.contains("serving on http://127.0.0.1:\(server.port)"), "a server that binds still says so")
    }

    @Test("batch: the bar shows a long file name whole; --format pdf writes NAME.ocr.pdf for a PDF")
    func batchNamesAndBar() async throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let input = root.appendingPathComponent("IN"), output = root.appendingPathComponent("OUT")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let longName = "quarterly-statement-northwind-2024.pdf"
        try FileManager.default.copyItem(atPath: ConvertCommandTests.sample("scanned-2pages.pdf"), toPath: input.appendingPathComponent(longName).path)
        try FileManager.default.copyItem(atPath: ConvertCommandTests.sample("phototest.png"), toPath: input.appendingPathComponent("photo.png").path)
        let (status, text) = try await Self.onTerminal(["batch", input.path, output.path, "--format", "pdf,txt"])
        #expect(status == 0, "\(text)")
        // The bar (80 columns on script's terminal) names the file whole, not its last eight characters.
        let bars = text.components(separatedBy: "\r").filter { $0.contains(" files · ") }
        #expect(bars.contains { $0.hasSuffix(" · \(longName)") }, "\(text.debugDescription)")
        let names = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { !$0.hasPrefix(".") }.sorted()
        #expect(names == ["ocrchat-report.json", "photo.png.pdf", "photo.png.txt",
                          "quarterly-statement-northwind-2024.ocr.pdf", "quarterly-statement-northwind-2024.pdf.txt"])
        #expect(try await Self.pdfText(output.appendingPathComponent("quarterly-statement-northwind-2024.ocr.pdf")).contains("Northwind"))
        #expect(try await ConvertCommandTests.ocrchat(["batch", "--help"]).stdout.contains("scan.ocr.pdf"))
    }

    @Test("--pages 1-2,10: only those pages are read; a searchable PDF of a PDF keeps every page, with text on those")
    func pagesOption() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = ConvertCommandTests.sample("report-10pages.pdf")
        let text = try await ConvertCommandTests.ocrchat(["convert", "--pages", "1-2,10", "-f", "txt,json", "-o", folder.appendingPathComponent("r").path, report])
        #expect(text.status == 0, "\(text.stderr)")
        let read = try String(contentsOf: folder.appendingPathComponent("r.txt"), encoding: .utf8)
        #expect(read.contains("Page 1 of the ten page report") && read.contains("Page 2 of the ten page report")
                && read.contains("Page 10 of the ten page report"))
        #expect(!read.contains("Page 5 of"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("r.json"))) as? [String: Any])
        #expect((json["pages"] as? [[String: Any]])?.compactMap { $0["index"] as? Int } == [0, 1, 9])

        let pdf = folder.appendingPathComponent("r.pdf")
        let searchable = try await ConvertCommandTests.ocrchat(["convert", "--pages", "2-3", "-f", "pdf", "-o", pdf.path, report])
        #expect(searchable.status == 0, "\(searchable.stderr)")
        #expect(try await ChildProcess.run("pdfinfo", [pdf.path]).stdout.contains("Pages:           10"))
        #expect(try await ChildProcess.run("pdftotext", ["-f", "2", "-l", "2", pdf.path, "-"]).stdout.contains("Page 2 of the ten page report"))
        #expect(try await ChildProcess.run("pdftotext", ["-f", "5", "-l", "5", pdf.path, "-"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                "a page left out keeps no text layer")

        for (pages, message) in [("12", "--pages asks for page 12 but the file has 10 pages"), ("0", "is not a page or a range"),
                                 ("3-1", "is not a range from a page to a later one")] {
            let refused = try await ConvertCommandTests.ocrchat(["convert", "--pages", pages, report])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains(message), "\(pages): \(refused.stderr)")
            #expect(refused.stdout.isEmpty)
        }
    }

    @Test("--sidecar FILE writes the text beside the searchable PDF")
    func sidecarOption() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pdf = folder.appendingPathComponent("scan.pdf"), sidecar = folder.appendingPathComponent("scan.txt")
        let run = try await ConvertCommandTests.ocrchat(["convert", "-f", "pdf", "-o", pdf.path, "--sidecar", sidecar.path,
                                                   ConvertCommandTests.sample("phototest.png")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try String(contentsOf: sidecar, encoding: .utf8).hasPrefix("This is a lot of 12 point text"))
        #expect(try await Self.pdfText(pdf).contains("quick brown dog"))
        let missing = try await ConvertCommandTests.ocrchat(["convert", "--sidecar", "/nonexistent-\(UUID().uuidString)/x.txt",
                                                       ConvertCommandTests.sample("phototest.png")])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("--sidecar /nonexistent-") && missing.stderr.contains("does not exist"), "\(missing.stderr)")
        let several = try await ConvertCommandTests.ocrchat(["convert", "--sidecar", sidecar.path, ConvertCommandTests.sample("phototest.png"),
                                                       ConvertCommandTests.sample("phototest.gif")])
        #expect(several.status != 0)
        #expect(several.stderr.contains("--sidecar names one file"))
    }

    @Test("--mode force recognises a born-digital PDF's pages from their images; skip (the default) takes the text layer")
    func modeOption() async throws {
        let pdf = ConvertCommandTests.sample("born-digital-2pages.pdf")
        func sources(_ arguments: [String]) async throws -> ([String], String) {
            let run = try await ConvertCommandTests.ocrchat(["convert", "-f", "json"] + arguments + [pdf])
            #expect(run.status == 0, "\(run.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            return ((object?["pages"] as? [[String: Any]])?.compactMap { $0["source"] as? String } ?? [], object?["text"] as? String ?? "")
        }
        #expect(try await sources([]).0 == ["text-layer", "text-layer"])
        #expect(try await sources(["--mode", "skip"]).0 == ["text-layer", "text-layer"])
        let (forced, text) = try await sources(["--mode", "force"])
        #expect(forced == ["ocr", "ocr"])
        #expect(text.contains("Quarterly report for the board"), "\(text.prefix(300))")
        let refused = try await ConvertCommandTests.ocrchat(["convert", "--mode", "force", "-f", "pdf", "-o", "/tmp/x.pdf", pdf])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--mode force cannot be used with --format pdf"))
        let unknown = try await ConvertCommandTests.ocrchat(["convert", "--mode", "again", pdf])
        #expect(unknown.status != 0)
    }

    @Test("--mode redo reads again the pages whose text is an earlier OCR's invisible layer, and replaces that layer in --format pdf")
    func modeRedo() async throws {
        let stale = ConvertCommandTests.sample("stale-ocr-layer.pdf")
        let skipped = try await ConvertCommandTests.ocrchat(["convert", stale])
        #expect(skipped.status == 0, "\(skipped.stderr)")
        #expect(skipped.stdout.contains("Stale words from an older reading"), "skip takes the old layer: \(skipped.stdout)")
        let redone = try await ConvertCommandTests.ocrchat(["convert", "--mode", "redo", "-f", "json", stale])
        #expect(redone.status == 0, "\(redone.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(redone.stdout.utf8)) as? [String: Any]
        let pages = object?["pages"] as? [[String: Any]] ?? []
        #expect(pages.compactMap { $0["source"] as? String } == ["ocr", "text-layer", "ocr", "ocr"])
        let redoneText = object?["text"] as? String ?? ""
        #expect(redoneText.contains("quick brown dog"))
        #expect(!redoneText.contains("Stale words"))
        // A born-digital PDF has no invisible text: redo takes every page from its layer, as skip does.
        let born = try await ConvertCommandTests.ocrchat(["convert", "--mode", "redo", "-f", "json", ConvertCommandTests.sample("born-digital-2pages.pdf")])
        let bornPages = (try JSONSerialization.jsonObject(with: Data(born.stdout.utf8)) as? [String: Any])?["pages"] as? [[String: Any]]
        #expect(bornPages?.compactMap { $0["source"] as? String } == ["text-layer", "text-layer"])
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pdf = folder.appendingPathComponent("redone.pdf")
        let written = try await ConvertCommandTests.ocrchat(["convert", "--mode", "redo", "-f", "pdf", "-o", pdf.path, stale])
        #expect(written.status == 0, "\(written.stderr)")
        let text = try await Self.pdfText(pdf)
        #expect(text.contains("quick brown dog") && !text.contains("Stale words"), "\(text)")
        #expect(text.contains("Visible born-digital text stays as it is"))
    }

    @Test("ocrchat token run from another folder finds the database the running server uses, and says which")
    func tokenFindsTheServersDatabase() async throws {
        let state = try temporaryFolder(), elsewhere = try temporaryFolder(), serverData = Live.temporaryFolder("token-default")
        defer { [state, elsewhere].forEach { try? FileManager.default.removeItem(at: $0) } }
        let environment = ["XDG_STATE_HOME": state.path]
        let server = try await ServerProcess(dataFolder: serverData, environment: environment)
        func token(_ arguments: [String], in folder: URL) async throws -> (Int32, String, String) {
            let run = try await ChildProcess.run(ConvertCommandTests.binary, ["token"] + arguments, environment:
                ProcessInfo.processInfo.environment.filter { $0.key != "OCRCHAT_DATA" }.merging(environment) { $1 }, in: folder)
            return (run.status, run.stdout.trimmingCharacters(in: .whitespacesAndNewlines), run.stderr)
        }
        let (status, created, said) = try await token(["create", "--name", "front-desk"], in: elsewhere)
        #expect(status == 0, "\(said)")
        #expect(said.contains("ocrchat: data folder \(serverData.standardizedFileURL.path) (the folder ocrchat serve last used)"), "\(said)")
        #expect(!FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("data").path), "no second, empty database")
        #expect(try await server.http(["-H", "Authorization: Bearer \(created)", "\(server.baseURL)/api/v1/account/"]).0 == 200,
                "the server accepts the token")
        // A folder that has its own ./data database (make serve's) keeps using it.
        let local = elsewhere.appendingPathComponent("project")
        let own = try await ConvertCommandTests.ocrchat(["token", "create", "--name", "local", "--data", local.appendingPathComponent("data").path])
        #expect(own.status == 0)
        let (_, listed, listSaid) = try await token(["list"], in: local)
        #expect(listSaid.contains("(./data here)"), "\(listSaid)")
        #expect(listed.contains("local") && !listed.contains("front-desk"))
    }
}
