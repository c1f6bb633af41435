import Foundation
import Testing

/// Issue 24's completion callback against the real `ocrchat serve` on loopback, with a receiver
/// written as an office would write one (Python's http.server, the signature checked with hmac).
@Suite("ocrchat serve: completion callbacks, live", .serialized, .oneMachineSlot)
struct CallbackTests {
    static let secret = "office-shared-secret-7f3a"

    /// `Clients/callback_receiver.py` on a free loopback port, answering `answers` in turn.
    final class Receiver {
        let process = Process()
        let log: URL
        let port: Int

        init(answers: String = "200") async throws {
            let folder = Live.temporaryFolder("callback-receiver")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            log = folder.appendingPathComponent("calls.jsonl")
            let portFile = folder.appendingPathComponent("port")
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", ServeCommandTests.clients.appendingPathComponent("callback_receiver.py").path,
                                 portFile.path, log.path, CallbackTests.secret, answers]
            // Not the test's own output: `swift test` reads it until every holder has closed it.
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) {
                    self.port = port
                    return
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            process.terminate()
            throw ServerError("the callback receiver did not start")
        }

        deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        var url: String { "http://127.0.0.1:\(port)" }

        /// The calls received so far, oldest first.
        var calls: [[String: Any]] {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
    }

    /// A server that may call back to loopback, with `callbacks` in its config file.
    static func server(callbacks: String, extra: String = "") async throws -> ServerProcess {
        let folder = Live.temporaryFolder("callbacks")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Live.writeConfig("{\"inline_page_limit\": 0, \"callbacks\": \(callbacks)\(extra)}", in: folder)
        return try await ServerProcess(dataFolder: folder, arguments: ["--metering", "off", "--callback-hosts", "127.0.0.1"],
                                       environment: ["OCRCHAT_CALLBACK_SECRET": secret])
    }

    /// Polls the job until its callback is in `state` (or `seconds` pass); returns the job object.
    static func waitForCallback(_ server: ServerProcess, _ uuid: String, state: String, seconds: Double = 60) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        var job: [String: Any] = [:]
        while Date() < deadline {
            job = try await server.json("/api/v1/ocr/\(uuid)/")
            if (job["callback"] as? [String: Any])?["state"] as? String == state { return job }
            try await Task.sleep(for: .milliseconds(200))
        }
        return job
    }

    static func body(_ call: [String: Any]) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data((call["body"] as? String ?? "").utf8))) as? [String: Any] ?? [:]
    }

    @Test("off unless the operator lists hosts: a callback_url is a 400 and no job is made; hosts without a secret do not start")
    func offByDefault() async throws {
        let folder = Live.temporaryFolder("callbacks-off")
        let server = try await ServerProcess(dataFolder: folder, arguments: ["--metering", "off"])
        let (status, answer) = try await Live.upload(server, "phototest.png", extra: ["-F", "callback_url=http://127.0.0.1:9/hook"])
        #expect(status == 400)
        #expect((answer["error"] as? String)?.contains("--callback-hosts") == true, "\(answer)")
        #expect(Live.files("uploads", of: folder).isEmpty)

        let refused = try await ChildProcess.run(ConvertCommandTests.binary, [
            "serve", "--data", Live.temporaryFolder("callbacks-nosecret").path, "--port", String(try ServerProcess.freePort()),
            "--callback-hosts", "127.0.0.1"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("callback secret"), "\(refused.stderr)")
    }

    @Test("a queued job calls back once, signed, with its summary; a 500 is retried after the back-off; each try is on the job")
    func deliveredAfterRetry() async throws {
        let receiver = try await Receiver(answers: "500,200")
        let server = try await Self.server(callbacks: "{\"first_retry_seconds\": 1, \"max_attempts\": 4}")
        let hook = "\(receiver.url)/hooks/ocr?office=7"
        let (status, created) = try await Live.upload(server, "phototest.png", extra: ["-F", "callback_url=\(hook)"])
        #expect(status == 200, "\(created)")
        let uuid = try #require(created["uuid"] as? String)
        #expect((created["callback"] as? [String: Any])?["url"] as? String == hook)

        let job = try await Self.waitForCallback(server, uuid, state: "delivered")
        #expect(job["status"] as? String == "done")
        let callback = try #require(job["callback"] as? [String: Any], "\(job)")
        let attempts = try #require(callback["attempts"] as? [[String: Any]])
        #expect(attempts.map { $0["http_status"] as? Int } == [500, 200])
        #expect((attempts.first?["error"] as? String)?.contains("500") == true)
        #expect(attempts.last?["error"] is NSNull)
        #expect(callback["next_attempt_at"] is NSNull)

        let calls = receiver.calls
        #expect(calls.count == 2)
        for (index, call) in calls.enumerated() {
            #expect(call["verified"] as? Bool == true, "the receiver checks the HMAC-SHA256 signature")
            #expect(call["path"] as? String == "/hooks/ocr?office=7")
            let headers = call["headers"] as? [String: String] ?? [:]
            #expect(headers["x-ocrchat-event"] == "job.finished")
            #expect(headers["x-ocrchat-delivery"] == "\(uuid)/\(index + 1)")
            let body = Self.body(call)
            #expect(body["event"] as? String == "job.finished" && body["attempt"] as? Int == index + 1)
            let summary = body["job"] as? [String: Any] ?? [:]
            #expect(summary["uuid"] as? String == uuid && summary["status"] as? String == "done" && summary["page_count"] as? Int == 1)
            #expect(summary["text"] == nil, "a summary, not the document")
        }
        // The back-off: the second try came at least the first retry's second after the first.
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let times = attempts.compactMap { ($0["at"] as? String).flatMap(formatter.date(from:)) }
        #expect(times.count == 2 && times[1].timeIntervalSince(times[0]) >= 0.9)

        // Delivered: never called again.
        try await Task.sleep(for: .seconds(3))
        #expect(receiver.calls.count == 2)

        // Hosts the operator did not list, and URLs that are not plain http(s), are refused before any work.
        for bad in ["http://10.20.30.40/hook", "http://user:pw@127.0.0.1:\(receiver.port)/", "file:///etc/passwd", "not a url"] {
            let (code, answer) = try await Live.upload(server, "phototest.png", extra: ["-F", "callback_url=\(bad)"])
            #expect(code == 400, "\(bad): \(answer)")
            #expect((answer["error"] as? String)?.contains("callback_url") == true)
        }
    }

    @Test("a redirect is not followed, and a callback that never succeeds is given up on after the last try")
    func givenUp() async throws {
        let elsewhere = try await Receiver()
        let receiver = try await Receiver(answers: "redirect:\(elsewhere.url)/stolen")
        let server = try await Self.server(callbacks: "{\"first_retry_seconds\": 0.5, \"max_attempts\": 2}")
        let (status, created) = try await Live.upload(server, "phototest.png", extra: ["-F", "callback_url=\(receiver.url)/hook"])
        #expect(status == 200)
        let uuid = try #require(created["uuid"] as? String)
        let job = try await Self.waitForCallback(server, uuid, state: "failed")
        let attempts = try #require((job["callback"] as? [String: Any])?["attempts"] as? [[String: Any]], "\(job)")
        #expect(attempts.map { $0["http_status"] as? Int } == [302, 302])
        #expect(receiver.calls.count == 2)
        #expect(elsewhere.calls.isEmpty, "the redirect's target was never called")
        #expect(server.log.contains("callback given up after 2 tries"))
    }
}
