import Foundation
import Testing

/// The real `ocrchat serve` on loopback, driven the way users of the public API drive it.
@Suite("ocrchat serve, live", .serialized, .oneMachineSlot)
struct ServeCommandTests {
    static let clients = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Clients")

    private func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-live-\(UUID().uuidString)", isDirectory: true)
    }

    private func upload(_ server: ServerProcess, _ sample: String, token: String? = nil) async throws -> [String: Any] {
        var arguments = ["-F", "file=@\(ConvertCommandTests.sample(sample))", "\(server.baseURL)/api/v1/ocr/"]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        let (status, body) = try await server.http(arguments)
        #expect(status == 200, "\(String(decoding: body, as: UTF8.self))")
        return (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    private func run(_ executable: String, _ arguments: [String]) async throws -> (Int32, String, String) {
        let run = try await ChildProcess.run(executable, arguments)
        return (run.status, run.stdout, run.stderr)
    }

    @Test("a Python requests script for ocr.chat works by changing only the base URL")
    func pythonRequestsClient() async throws {
        let server = try await ServerProcess(dataFolder: temporaryFolder())
        for sample in ["phototest.png", "report-10pages.pdf"] {
            let (status, stdout, stderr) = try await run("python3", [Self.clients.appendingPathComponent("ocrchat_client.py").path,
                                                              server.baseURL, ConvertCommandTests.sample(sample)])
            #expect(status == 0, "\(stderr)")
            #expect(stdout.contains(sample == "phototest.png" ? "quick brown dog" : "Page 10 of the ten page report"))
        }
    }

    @Test("the curl sequence from the documentation works too")
    func curlClient() async throws {
        let server = try await ServerProcess(dataFolder: temporaryFolder())
        let (status, stdout, stderr) = try await run("bash", [Self.clients.appendingPathComponent("curl_client.sh").path,
                                                        server.baseURL, ConvertCommandTests.sample("scanned-2pages.pdf")])
        #expect(status == 0, "\(stderr)")
        #expect(stdout.contains("Invoice 2041 from Northwind Traders"))
        #expect(stdout.contains("<!-- page 2 -->"))
    }

    @Test("SIGKILL during a 10-page job: after a restart the job completes, nothing lost")
    func restartAfterKill() async throws {
        let folder = temporaryFolder()
        var server = try await ServerProcess(dataFolder: folder, arguments: ["--jobs", "1"])
        let job = try await upload(server, "report-10pages.pdf")
        let uuid = try #require(job["uuid"] as? String)
        // Kill it while it works on the job.
        let deadline = Date().addingTimeInterval(30)
        var seen: [String: Any] = [:]
        while Date() < deadline {
            seen = try await server.json("/api/v1/ocr/\(uuid)/")
            if seen["status"] as? String == "processing" { break }
            try await Task.sleep(for: .seconds(0.02))
        }
        await server.kill9()
        #expect(seen["status"] as? String == "processing")
        #expect((seen["pages_done"] as? Int ?? 10) < 10)

        server = try await ServerProcess(dataFolder: folder, arguments: ["--jobs", "1"], port: server.port)
        var status = ""
        let finish = Date().addingTimeInterval(120)
        while status != "done", Date() < finish {
            status = try await server.json("/api/v1/ocr/\(uuid)/")["status"] as? String ?? ""
            #expect(status != "failed")
            try await Task.sleep(for: .seconds(0.2))
        }
        #expect(status == "done")
        let (code, text) = try await server.http(["\(server.baseURL)/api/v1/ocr/\(uuid)/download/?format=txt"])
        #expect(code == 200)
        #expect(String(decoding: text, as: UTF8.self).contains("Page 10 of the ten page report"))
        #expect(server.log.contains("requeued 1 interrupted job"))
    }

    @Test("SIGTERM stops the server cleanly; a job in hand is requeued and finished after restart")
    func gracefulShutdown() async throws {
        let folder = temporaryFolder()
        var server = try await ServerProcess(dataFolder: folder, arguments: ["--jobs", "1"])
        let uuid = try #require(try await upload(server, "report-10pages.pdf")["uuid"] as? String)
        let exitStatus = await server.terminate(within: 30)
        #expect(exitStatus == 0, "\(server.log)")
        server = try await ServerProcess(dataFolder: folder, arguments: ["--jobs", "1"], port: server.port)
        var status = ""
        let finish = Date().addingTimeInterval(120)
        while status != "done", Date() < finish {
            status = try await server.json("/api/v1/ocr/\(uuid)/")["status"] as? String ?? ""
            try await Task.sleep(for: .seconds(0.2))
        }
        #expect(status == "done")
    }

    @Test("tokens: created once on stdout alone, listed without the secret, revoked; the server honours it")
    func tokenCommands() async throws {
        let folder = temporaryFolder()
        let create = try await ConvertCommandTests.ocrchat(["token", "create", "--name", "reception", "--data", folder.path])
        #expect(create.status == 0)
        let token = create.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(create.stdout == token + "\n")
        #expect(token.hasPrefix("ocr_") && token.count > 40)
        let list = try await ConvertCommandTests.ocrchat(["token", "list", "--data", folder.path])
        #expect(list.stdout.contains("reception"))
        #expect(!list.stdout.contains(token))
        let database = try String(decoding: Data(contentsOf: folder.appendingPathComponent("ocrchat.sqlite")), as: UTF8.self)
        #expect(!database.contains(token))

        let server = try await ServerProcess(dataFolder: folder)
        let uuid = try #require(try await upload(server, "phototest.png", token: token)["uuid"] as? String)
        #expect(try await server.http(["\(server.baseURL)/api/v1/ocr/\(uuid)/?api_token=\(token)"]).0 == 200)
        #expect(try await server.http(["\(server.baseURL)/api/v1/ocr/\(uuid)/"]).0 == 404)

        let revoke = try await ConvertCommandTests.ocrchat(["token", "revoke", "reception", "--data", folder.path])
        #expect(revoke.status == 0)
        #expect(try await server.http(["\(server.baseURL)/api/v1/ocr/\(uuid)/?api_token=\(token)"]).0 == 401)
        #expect(!server.log.contains(token), "tokens never reach the log")
    }

    @Test("settings: flags win over the environment, which wins over the config file")
    func settingsPrecedence() async throws {
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let configPort = try ServerProcess.freePort()
        try Data(#"{"port": \#(configPort), "metering": {"anonymous_daily_pages": 1}}"#.utf8)
            .write(to: folder.appendingPathComponent("ocrchat.json"))
        // The config file alone: its port and its allowance.
        let process = Process()
        process.executableURL = ConvertCommandTests.binary
        process.arguments = ["serve", "--data", folder.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        var healthy = false
        for _ in 0..<100 where !healthy {
            try await Task.sleep(for: .seconds(0.1))
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            check.arguments = ["curl", "-sf", "http://127.0.0.1:\(configPort)/healthz"]
            check.standardOutput = FileHandle.nullDevice
            check.standardError = FileHandle.nullDevice
            try check.run()
            healthy = await check.exitStatus() == 0
        }
        #expect(healthy, "the server listens on the config file's port")
        kill(process.processIdentifier, SIGKILL)
        _ = await process.exitStatus()

        // The environment wins over the file: metering off, so the file's allowance of 1 page does not apply.
        var server = try await ServerProcess(dataFolder: folder, environment: ["OCRCHAT_METERING": "off"])
        _ = try await upload(server, "phototest.png")
        _ = try await upload(server, "phototest.png")
        await server.kill9()
        // A flag wins over the environment: metering on again, and the second page is refused.
        server = try await ServerProcess(dataFolder: folder, arguments: ["--metering", "on"], environment: ["OCRCHAT_METERING": "off"])
        let arguments = ["-F", "file=@\(ConvertCommandTests.sample("phototest.png"))", "\(server.baseURL)/api/v1/ocr/"]
        #expect(try await server.http(arguments).0 == 200)
        #expect(try await server.http(arguments).0 == 402)
    }
}
