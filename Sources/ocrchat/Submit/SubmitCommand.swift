import ArgumentParser
import Foundation
import OCRChatBatch
import OCRChatExport

/// `ocrchat submit`: what an API client does (upload, poll, download), from the command line,
/// against any server that speaks the ocr.chat API: this one on the office's server, or another.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Send files to an ocrchat server and download the results.",
        discussion: """
            Each file is uploaded (POST /api/v1/ocr/), its job polled until it is done, and each \
            format downloaded into --output as NAME.FORMAT. A file the server refuses (an \
            unsupported type, no pages left: 402) is reported and the others go on; the exit \
            status is 1 when any file failed. A server that is busy (503, 429) or not up yet is \
            tried again with back-off.

            The token comes from --token or, so that it stays out of the process list, from \
            OCRCHAT_TOKEN.
            """
    )

    @Argument(help: "Files to send (images, TIFFs, PDFs).")
    var files: [String]

    @Option(help: "The server (default: OCRCHAT_SERVER, else http://127.0.0.1:8080).")
    var server: String?

    @Option(help: "API token (default: OCRCHAT_TOKEN; none: an anonymous caller).")
    var token: String?

    @Option(name: .shortAndLong, help: "Formats to download, comma-separated: txt, md, json, csv, docx, pdf (also hocr, alto from an ocrchat server).")
    var format: String = "md"

    @Option(name: .shortAndLong, help: "Folder to write into (made if missing).")
    var output: String = "."

    @Option(help: "tier field: cpu or vlm (the server's default when not given).")
    var tier: String?

    @Option(help: "language field: auto, or a code (en, de, eng+deu, …).")
    var language: String?

    @Option(help: "tool field: extract-tables, handwriting-to-text, translate, …")
    var tool: String?

    @Option(help: "translate_to field (with --tool translate).")
    var translateTo: String?

    @Option(help: "password field, for an encrypted PDF.")
    var password: String?

    @Option(help: "Files in flight at once.")
    var jobs: Int = 2

    @Option(help: "Seconds between polls of a job that is not done.")
    var pollSeconds: Double = 1

    @Option(help: "Seconds to wait for one job before giving up on it.")
    var timeout: Double = 3600

    @Option(help: "Tries of a call the server put off (503, 429) or that found no server, with back-off between them.")
    var tries: Int = 5

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one file") }
        if jobs < 1 || tries < 1 { throw ValidationError("--jobs and --tries must be at least 1") }
        if pollSeconds <= 0 || timeout <= 0 { throw ValidationError("--poll-seconds and --timeout must be positive") }
        _ = try formats()
        _ = try serverURL()
    }

    func run() async throws {
        let formats = try formats()
        let folder = URL(fileURLWithPath: output, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw CleanExit.failure("--output \(output): cannot make the folder (\(error.localizedDescription))")
        }
        let client = APIClient(server: try serverURL(), token: token ?? ProcessInfo.processInfo.environment["OCRCHAT_TOKEN"],
                               attempts: tries)
        let progress = ConsoleProgress(style: BatchCommand.progressStyle(), write: { text in
            FileHandle.standardError.write(Data(text.utf8))
        })
        let names = Self.outputStems(files)
        let started = Date()
        await progress.willConvert(count: files.count)
        var results: [FileResult] = []
        await withTaskGroup(of: FileResult.self) { group in
            var next = 0
            func add() {
                let (path, stem) = (files[next], names[next])
                next += 1
                group.addTask {
                    await submit(path, stem: stem, formats: formats, folder: folder, client: client, progress: progress)
                }
            }
            while next < min(jobs, files.count) { add() }
            for await result in group {
                results.append(result)
                await progress.finished(result)
                if next < files.count { add() }
            }
        }
        let summary = BatchSummary(results: results, seconds: Date().timeIntervalSince(started), stopped: false)
        await progress.summarize(summary, failures: results.filter { $0.status == .failed }, report: nil)
        if summary.failed > 0 { throw ExitCode.failure }
    }

    /// One file, from upload to its last download.
    private func submit(_ path: String, stem: String, formats: [ExportFormat], folder: URL, client: APIClient,
                        progress: ConsoleProgress) async -> FileResult {
        let started = Date()
        await progress.started(path)
        func failed(_ reason: String) -> FileResult {
            FileResult(path: path, status: .failed, reason: reason, seconds: Date().timeIntervalSince(started))
        }
        let file = URL(fileURLWithPath: path)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            return failed("no such file")
        }
        do {
            var job = try await client.upload(file, fields: fields)
            let deadline = Date().addingTimeInterval(timeout)
            while !job.isFinished {
                if let total = job.pageCount, total > 0 { await progress.pageDone(path, done: job.pagesDone ?? 0, of: total) }
                guard Date() < deadline else { return failed("job \(job.uuid) not done after \(Int(timeout)) s") }
                try await Task.sleep(for: .seconds(pollSeconds))
                job = try await client.job(job.uuid)
            }
            if job.status == "failed" { return failed("job \(job.uuid) failed: \(job.error ?? "no reason given")") }
            var outputs: [String] = []
            for format in formats {
                let destination = folder.appendingPathComponent("\(stem).\(format.fileExtension)")
                try await client.download(job.uuid, format: format.rawValue, to: destination)
                outputs.append(destination.path)
            }
            return FileResult(path: path, status: .converted, pages: job.pageCount, outputs: outputs,
                              seconds: Date().timeIntervalSince(started))
        } catch is CancellationError {
            return failed("stopped")
        } catch {
            return failed("\(error)")
        }
    }

    /// The upload's fields other than the file: only those given (the server's defaults otherwise).
    private var fields: [(String, String)] {
        [("tier", tier), ("language", language), ("tool", tool), ("translate_to", translateTo), ("password", password)]
            .compactMap { name, value in value.map { (name, $0) } }
    }

    /// The formats `--format` names, each once, by the rule `convert` and `batch` use.
    private func formats() throws -> [ExportFormat] {
        do {
            return try BatchOutputs.parseFormats(format)
        } catch {
            throw ValidationError("--format: \(error)")
        }
    }

    private func serverURL() throws -> URL {
        let text = server ?? ProcessInfo.processInfo.environment["OCRCHAT_SERVER"] ?? "http://127.0.0.1:8080"
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw ValidationError("--server \(text) is not an http:// or https:// URL")
        }
        return url
    }

    /// The name each file's results get: its name without its extension, or with it where two
    /// files would share one (`scan.png` and `scan.pdf` give `scan.png.md` and `scan.pdf.md`); the
    /// same name twice (`a/scan.png`, `b/scan.png`) gives `scan.png` and `scan.png-2`.
    static func outputStems(_ paths: [String]) -> [String] {
        let stems = paths.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
        let names = paths.map { URL(fileURLWithPath: $0).lastPathComponent }
        let counts = Dictionary(stems.map { ($0, 1) }, uniquingKeysWith: +)
        var used: [String: Int] = [:]
        return paths.indices.map { index in
            let base = counts[stems[index], default: 0] > 1 ? names[index] : stems[index]
            let seen = used[base, default: 0]
            used[base] = seen + 1
            return seen == 0 ? base : "\(base)-\(seen + 1)"
        }
    }
}
