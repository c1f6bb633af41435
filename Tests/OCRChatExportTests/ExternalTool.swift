import Foundation

/// The real programs that read our formats: Python's csv and xml modules, python-docx, xmllint,
/// unzip and LibreOffice. The exporters are checked by what these make of the bytes, never by
/// comparing our output with itself.
enum ExternalTool {
    /// The Python scripts beside this file, each printing as JSON what it read.
    static let consumers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Consumers")

    /// A failure to run a tool, with what it said.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// What a finished tool left behind.
    struct Outcome {
        var status: Int32
        var standardOutput: Data
        var standardError: String
    }

    /// The program `name` on PATH, or nil when it is not installed.
    static func find(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs a program to the end (killed after `timeout` seconds). Output goes through files, so a
    /// chatty program cannot fill a pipe and stall. Its end is looked at every 20 ms with `Task.sleep`,
    /// so that no thread of the cooperative pool waits while it works.
    static func run(_ executable: URL, _ arguments: [String], timeout: TimeInterval = 60) async throws -> Outcome {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("stdout")
        let errURL = folder.appendingPathComponent("stderr")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
                throw Failure(description: "\(executable.lastPathComponent) took longer than \(Int(timeout)) s")
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        try out.close()
        try err.close()
        return Outcome(status: process.terminationStatus, standardOutput: try Data(contentsOf: outURL),
                       standardError: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Writes `data` to a file named `name` in a new scratch folder, hands its URL to `body`, then
    /// removes the folder.
    static func withFile<Result>(_ data: Data, named name: String, _ body: (URL) async throws -> Result) async throws -> Result {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(name)
        try data.write(to: file)
        return try await body(file)
    }

    /// Runs one of the consumer scripts on `file` and decodes the JSON it prints.
    static func python<Report: Decodable>(_ script: String, reading file: URL, as report: Report.Type) async throws -> Report {
        guard let python = find("python3") else { throw Failure(description: "python3 is not on PATH (run `make setup`)") }
        let outcome = try await run(python, [consumers.appendingPathComponent(script).path, file.path])
        guard outcome.status == 0 else {
            throw Failure(description: "\(script) exited with \(outcome.status): \(outcome.standardError)")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Report.self, from: outcome.standardOutput)
    }

    /// Writes `data` to a scratch file and runs a consumer script on it.
    static func python<Report: Decodable>(_ script: String, reading data: Data, named name: String,
                                          as report: Report.Type) async throws -> Report {
        try await withFile(data, named: name) { try await python(script, reading: $0, as: report) }
    }

    /// A new empty folder under the temporary directory.
    static func scratchFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("ocrchat-export-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
