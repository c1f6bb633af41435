import Foundation

/// A program run to its end, as the tests run the binary and the tools that read what it wrote.
///
/// Nothing here holds a thread of Swift's cooperative pool while the child works: the end is
/// awaited with `Task.sleep` between looks, and pipes are read and written on threads of their own.
/// On a 2-core machine the pool has two threads, and the in-process suites' loopback servers
/// answer on them in the same `swift test` run.
enum ChildProcess {
    /// Runs `executable` with `arguments`, in `directory`, with `environment` (else this process's),
    /// `stdin` written to its standard input and then closed; its status and what it wrote.
    static func run(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
                    in directory: URL? = nil, stdin: Data? = nil) async throws -> ConvertCommandTests.Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        async let stdoutData = readToEnd(out.fileHandleForReading)
        async let stderrData = readToEnd(err.fileHandleForReading)
        try await write(stdin ?? Data(), andClose: input.fileHandleForWriting)
        let status = await process.exitStatus()
        return ConvertCommandTests.Run(status: status, stdout: String(decoding: await stdoutData, as: UTF8.self),
                                       stderr: String(decoding: await stderrData, as: UTF8.self))
    }

    /// Runs a program found on the PATH (python3, pdftotext).
    static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil,
                    in directory: URL? = nil) async throws -> ConvertCommandTests.Run {
        try await run(URL(fileURLWithPath: "/usr/bin/env"), [program] + arguments, environment: environment, in: directory)
    }

    /// Starts `process`, set up by the caller with its standard output (and maybe its standard
    /// error) on `output`; what came through `output` once the process has ended, and its status.
    static func output(of process: Process, through output: Pipe) async throws -> (status: Int32, data: Data) {
        try process.run()
        async let data = readToEnd(output.fileHandleForReading)
        let status = await process.exitStatus()
        return (status, await data)
    }

    /// Everything `handle` gives until its end, read on a thread of its own.
    static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: handle.readDataToEndOfFile()) }.start()
        }
    }

    /// Writes `data` to `handle` and closes it, on a thread of its own (a full pipe blocks the writer).
    static func write(_ data: Data, andClose handle: FileHandle) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            Thread {
                continuation.resume(with: Result {
                    if !data.isEmpty { handle.write(data) }
                    try handle.close()
                })
            }.start()
        }
    }
}

extension Process {
    /// The exit status once the process has ended, looked at every 10 ms with `Task.sleep`.
    func exitStatus() async -> Int32 {
        while isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        return terminationStatus
    }

    /// Waits up to `seconds` for the process to end; true when it has.
    func exited(within seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        return !isRunning
    }
}

/// Waits until `condition` holds (true) or `seconds` pass (false), looking every `interval` seconds
/// with `Task.sleep`.
func eventually(within seconds: Double, every interval: Double = 0.05,
                _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .seconds(interval))
    }
    return try await condition()
}

