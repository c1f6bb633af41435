import Foundation
import Testing

/// Runs the real `ocrchat` binary the way a person or a script does.
@Suite("The ocrchat command line", .oneMachineSlot)
struct ConvertCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let samples = root.appendingPathComponent("Samples")

    /// The binary built beside the test bundle.
    static let binary: URL = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ocrchat"),
            root.appendingPathComponent(".build/debug/ocrchat"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[1]
    }()

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs ocrchat with OMP_THREAD_LIMIT removed from its environment, as a user's shell has it.
    static func ocrchat(_ arguments: [String], stdin: Data? = nil) async throws -> Run {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "OMP_THREAD_LIMIT")
        return try await ChildProcess.run(binary, arguments, environment: environment, stdin: stdin)
    }

    static func sample(_ name: String) -> String { samples.appendingPathComponent(name).path }

    @Test("convert prints the text to stdout and exits 0")
    func convertToStdout() async throws {
        let run = try await Self.ocrchat(["convert", Self.sample("phototest.png")])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("This is a lot of 12 point text"))
        #expect(run.stderr.isEmpty)
    }

    @Test("the process restarts itself with OMP_THREAD_LIMIT=1 when the user has not set it")
    func openMPLimited() async throws {
        let run = try await Self.ocrchat(["version"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("OMP_THREAD_LIMIT=1"))
        #expect(run.stdout.contains("tesseract 5"))
    }

    @Test("--format json gives the document; '-' reads stdin")
    func jsonFromStdin() async throws {
        let data = try Data(contentsOf: Self.samples.appendingPathComponent("born-digital-2pages.pdf"))
        let run = try await Self.ocrchat(["convert", "--format", "json", "--output", "-", "-"], stdin: data)
        #expect(run.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["page_count"] as? Int == 2)
        #expect(object["source_format"] as? String == "pdf")
    }

    @Test("several inputs into a folder: one file each, named after the input")
    func severalIntoFolder() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-cli-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try await Self.ocrchat(["convert", "-f", "md", "-o", folder.path,
                                    Self.sample("phototest.gif"), Self.sample("scanned-2pages.pdf")])
        #expect(run.status == 0, "\(run.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["phototest.md", "scanned-2pages.md"])
        let markdown = try String(contentsOf: folder.appendingPathComponent("scanned-2pages.md"), encoding: .utf8)
        #expect(markdown.contains("<!-- page 2 -->"))
    }

    @Test("a bad file: non-zero exit and one clear line on stderr; good files still converted")
    func badFile() async throws {
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-cli-\(UUID()).pdf")
        try Data("just text".utf8).write(to: bad)
        defer { try? FileManager.default.removeItem(at: bad) }
        let run = try await Self.ocrchat(["convert", bad.path, Self.sample("phototest.bmp")])
        #expect(run.status == 1)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("unsupported file type: the file looks like plain text") == true)
        #expect(run.stdout.contains("quick brown dog"))
    }

    @Test("a missing file, an unknown format and an unknown language are refused clearly")
    func usageErrors() async throws {
        let missing = try await Self.ocrchat(["convert", "/nonexistent/scan.png"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no such file"))
        let format = try await Self.ocrchat(["convert", "--format", "xlsx", Self.sample("phototest.png")])
        #expect(format.status != 0)
        #expect(format.stderr.contains("xlsx"))
        let language = try await Self.ocrchat(["convert", "--language", "zz", Self.sample("phototest.png")])
        #expect(language.status != 0)
        #expect(language.stderr.contains("unknown language 'zz'"))
    }

    @Test("docx, csv, hocr and alto write one file per input: into a folder, never several to stdout")
    func oneFilePerInputFormats() async throws {
        for format in ["csv", "docx", "hocr", "alto"] {
            let shared = try await Self.ocrchat(["convert", "--format", format, Self.sample("phototest.png"), Self.sample("phototest.png")])
            #expect(shared.status != 0)
            #expect(shared.stderr.contains("--format \(format) writes one file per input"))
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-formats-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try await Self.ocrchat(["convert", "--format", "alto", "-o", folder.path + "/", Self.sample("phototest.png")])
        #expect(run.status == 0, "\(run.stderr)")
        let alto = try String(contentsOf: folder.appendingPathComponent("phototest.alto.xml"), encoding: .utf8)
        #expect(alto.contains("CONTENT=\"quick\""))
    }

    @Test("--format pdf writes a searchable PDF: one file, or one per input into a folder, never several to stdout")
    func searchablePDF() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-pdf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let single = folder.appendingPathComponent("out.pdf")
        let run = try await Self.ocrchat(["convert", "--format", "pdf", "-o", single.path, Self.sample("phototest.png")])
        #expect(run.status == 0, "\(run.stderr)")
        func text(_ url: URL) async throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
            process.arguments = [url.path, "-"]
            let out = Pipe()
            process.standardOutput = out
            let data = try await ChildProcess.output(of: process, through: out).data
            return String(decoding: data, as: UTF8.self)
        }
        #expect(try await text(single).hasPrefix("This is a lot of 12 point text"))

        let several = folder.appendingPathComponent("several")
        let both = try await Self.ocrchat(["convert", "-f", "pdf", "-o", several.path,
                                     Self.sample("phototest.jpg"), Self.sample("scanned-2pages.pdf")])
        #expect(both.status == 0, "\(both.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: several.path).sorted()
        #expect(names == ["phototest.pdf", "scanned-2pages.pdf"])
        #expect(try await text(several.appendingPathComponent("scanned-2pages.pdf")).contains("\u{0C}"))

        let shared = try await Self.ocrchat(["convert", "--format", "pdf", Self.sample("phototest.png"), Self.sample("phototest.png")])
        #expect(shared.status != 0)
        #expect(shared.stderr.contains("--format pdf writes one file per input"))
    }

    @Test("an encrypted PDF on disk: refused without its password, read with it")
    func encryptedFile() async throws {
        let locked = try await Self.ocrchat(["convert", Self.sample("encrypted-openpassword.pdf")])
        #expect(locked.status == 1)
        #expect(locked.stderr.contains("encrypted and needs a password"))
        let opened = try await Self.ocrchat(["convert", "--password", "openpassword", Self.sample("encrypted-openpassword.pdf")])
        #expect(opened.status == 0)
        #expect(opened.stdout.contains("Lorem ipsum"))
    }

    @Test("languages lists the installed models with their short codes")
    func languages() async throws {
        let run = try await Self.ocrchat(["languages"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("eng (en)"))
        #expect(run.stdout.contains("orientation detection (osd): installed"))
    }

    @Test("--help works on every command")
    func help() async throws {
        for arguments in [["--help"], ["convert", "--help"], ["languages", "--help"]] {
            let run = try await Self.ocrchat(arguments)
            #expect(run.status == 0)
            #expect(run.stdout.contains("USAGE"))
        }
    }
}
