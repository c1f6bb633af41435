import Foundation
import PostgresHarness

/// `ocrchat serve` started as a real process on a free loopback port, as an operator starts it.
final class ServerProcess {
    let process = Process()
    let port: Int
    let dataFolder: URL
    let baseURL: String

    init(dataFolder: URL, arguments: [String] = [], port: Int? = nil, environment: [String: String] = [:]) async throws {
        self.dataFolder = dataFolder
        self.port = try port ?? Self.freePort()
        baseURL = "http://127.0.0.1:\(self.port)"
        try FileManager.default.createDirectory(at: dataFolder, withIntermediateDirectories: true)
        process.executableURL = ConvertCommandTests.binary
        process.arguments = ["serve", "--data", dataFolder.path, "--port", String(self.port)] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let log = dataFolder.appendingPathComponent("server.log")
        if !FileManager.default.fileExists(atPath: log.path) { FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try await waitUntilHealthy()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Polls /healthz until the server answers (or fails after 30 s).
    func waitUntilHealthy() async throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let (status, _) = try? await http(["\(baseURL)/healthz"]), status == 200 { return }
            guard process.isRunning else { throw ServerError("the server exited: \(log)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ServerError("the server did not come up: \(log)")
    }

    var log: String {
        (try? String(contentsOf: dataFolder.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
    }

    func kill9() async {
        kill(process.processIdentifier, SIGKILL)
        _ = await process.exitStatus()
    }

    /// SIGTERM, and the exit status once it has stopped (nil if it did not within `seconds`).
    func terminate(within seconds: Double) async -> Int32? {
        process.terminate()
        return await process.exited(within: seconds) ? process.terminationStatus : nil
    }

    /// A JSON GET against the server.
    func json(_ path: String, token: String? = nil) async throws -> [String: Any] {
        var arguments = ["\(baseURL)\(path)"]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        let (_, body) = try await http(arguments)
        return (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    /// Runs curl with `arguments`; returns the status code and the body.
    func http(_ arguments: [String]) async throws -> (Int, Data) {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let bodyFile = FileManager.default.temporaryDirectory.appendingPathComponent("curl-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: bodyFile) }
        curl.arguments = ["curl", "-s", "-o", bodyFile.path, "-w", "%{http_code}", "--max-time", "120"] + arguments
        let out = Pipe()
        curl.standardOutput = out
        curl.standardError = FileHandle.nullDevice
        let code = String(decoding: try await ChildProcess.output(of: curl, through: out).data, as: UTF8.self)
        return (Int(code) ?? 0, (try? Data(contentsOf: bodyFile)) ?? Data())
    }

    /// A port nothing listens on now.
    static func freePort() throws -> Int {
        try ThrowawayCluster.freePort()
    }
}

struct ServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
