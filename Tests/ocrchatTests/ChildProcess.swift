import Foundation

/// A program run to its end, as the tests run the binary and the tools that read what it wrote.
enum ChildProcess {
    /// Runs `executable` with `arguments`, in `directory`, with `environment` (else this process's),
    /// `stdin` written to its standard input and then closed; its status and what it wrote.
    static func run(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
                    in directory: URL? = nil, stdin: Data? = nil) throws -> ConvertCommandTests.Run {
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
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ConvertCommandTests.Run(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                                       stderr: String(decoding: stderrData, as: UTF8.self))
    }

    /// Runs a program found on the PATH (python3, pdftotext).
    static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil,
                    in directory: URL? = nil) throws -> ConvertCommandTests.Run {
        try run(URL(fileURLWithPath: "/usr/bin/env"), [program] + arguments, environment: environment, in: directory)
    }
}
