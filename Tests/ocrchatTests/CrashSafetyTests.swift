import Foundation
import Testing

/// SIGKILL at any moment loses no accepted job and no credit; SIGTERM stops cleanly. Each test
/// kills the real `ocrchat serve`, starts it again on the same data folder and looks at what the
/// client sees, what the account paid and what is left on disk.
@Suite("Crash safety: kill -9 and SIGTERM against the live server", .serialized, .oneMachineSlot)
struct CrashSafetyTests {
    /// Every file a finished job may keep: its result and its searchable PDF (or why there is none).
    private func resultFilesAreOnly(_ uuid: String, in folder: URL) -> Bool {
        Live.files("results", of: folder).allSatisfy {
            [uuid + ".json", uuid + ".reading.json", uuid + ".pdf", uuid + ".pdf-error.txt", uuid + ".pages"].contains($0)
        }
    }

    @Test("killed at each step of a job (named crash points): after a restart it is done once and paid once",
          arguments: ["upload-stored", "job-stored", "result-written", "pdf-written", "job-finished"])
    func crashPoint(_ point: String) async throws {
        let folder = Live.temporaryFolder("crash")
        // Every upload goes to the background queue, so the client has its uuid before the work starts.
        try Live.writeConfig(#"{"inline_page_limit": 0}"#, in: folder)
        let token = try await Live.paidToken("office", credits: 100, in: folder)
        var server = try await ServerProcess(dataFolder: folder, arguments: ["--jobs", "1"], environment: ["OCRCHAT_CRASH_AT": point])
        let (status, job) = try await Live.upload(server, "phototest.png", token: token)
        #expect(await server.waitForExit(within: 60), "the server reached crash point \(point)")
        #expect(server.process.terminationReason == .uncaughtSignal && server.process.terminationStatus == SIGKILL)

        server = try await ServerProcess(dataFolder: folder, arguments: ["--jobs", "1"], port: server.port)
        switch point {
        case "upload-stored":
            // Never accepted: the client saw the connection die, nothing was charged, nothing is kept.
            #expect(status == 0)
            #expect(Live.files("uploads", of: folder).isEmpty)
            #expect(try await Live.creditsUsed("office", in: folder) == 0)
            #expect(try await server.json("/healthz")["pending_jobs"] as? Int == 0)
        case "job-stored":
            // Committed with its charge but unanswered: it is still done, and paid for once.
            #expect(status == 0)
            #expect(await Live.waitUntil(seconds: 120) { Live.files("results", of: folder).contains { $0.hasSuffix(".json") } })
            #expect(await Live.waitUntil(seconds: 30) { Live.files("uploads", of: folder).isEmpty })
            #expect(try await Live.creditsUsed("office", in: folder) == 1)
        default:
            // Accepted (the client has the uuid): it is redone or kept, and reaches done with its text.
            #expect(status == 200)
            let uuid = try #require(job["uuid"] as? String)
            let finished = try await Live.waitForJob(server, uuid, token: token)
            #expect(finished["status"] as? String == "done", "\(finished)")
            let (code, text) = try await server.http(["-H", "Authorization: Bearer \(token)",
                                                "\(server.baseURL)/api/v1/ocr/\(uuid)/download/?format=txt"])
            #expect(code == 200)
            #expect(String(decoding: text, as: UTF8.self).contains("quick brown dog"))
            #expect(try await Live.creditsUsed("office", in: folder) == 1, "charged exactly once")
            #expect(Live.files("uploads", of: folder).isEmpty, "no upload left behind")
            #expect(resultFilesAreOnly(uuid, in: folder), "\(Live.files("results", of: folder))")
        }
    }

    @Test("SIGKILL in the middle of a slow streaming upload: nothing accepted, nothing charged, no file left")
    func killDuringUpload() async throws {
        let folder = Live.temporaryFolder("crash")
        let token = try await Live.paidToken("office", credits: 100, in: folder)
        var server = try await ServerProcess(dataFolder: folder)
        let upload = HandMadeMultipart(file: try Data(contentsOf: URL(fileURLWithPath: ConvertCommandTests.sample("report-10pages.pdf"))),
                                       fileName: "report.pdf")
        let connection = try RawConnection(port: server.port)
        connection.send(upload.head(port: server.port, extraHeaders: "Authorization: Bearer \(token)\r\n"))
        connection.send(upload.body.prefix(upload.body.count / 2))
        // The first half is on disk, the rest never comes.
        #expect(await Live.waitUntil(seconds: 30) { !Live.files("uploads", of: folder).isEmpty })
        await server.kill9()
        #expect(Live.files("uploads", of: folder).count == 1, "the half upload is there before the restart")

        server = try await ServerProcess(dataFolder: folder, port: server.port)
        #expect(Live.files("uploads", of: folder).isEmpty)
        #expect(server.log.contains("removed 1 file(s) left by an interrupted run"))
        #expect(try await Live.creditsUsed("office", in: folder) == 0)
        #expect(try await server.json("/healthz")["pending_jobs"] as? Int == 0)
    }

    @Test("SIGKILL during recognition of a 10-page PDF, twice: done after restarts, 10 credits spent once")
    func killDuringRecognition() async throws {
        let folder = Live.temporaryFolder("crash")
        let token = try await Live.paidToken("office", credits: 100, in: folder)
        var server = try await ServerProcess(dataFolder: folder, arguments: ["--jobs", "1"])
        let (status, job) = try await Live.upload(server, "report-10pages.pdf", token: token)
        #expect(status == 200)
        let uuid = try #require(job["uuid"] as? String)
        #expect(try await Live.creditsUsed("office", in: folder) == 10)
        for round in 1...2 {
            // Kill it once it has started the pages.
            let working = try await Live.waitUntil(seconds: 60) {
                let polled = try await server.json("/api/v1/ocr/\(uuid)/", token: token)
                return polled["status"] as? String == "processing" && (polled["pages_done"] as? Int ?? 0) >= 1
            }
            #expect(working, "round \(round): the job was being recognised when killed")
            await server.kill9()
            server = try await ServerProcess(dataFolder: folder, arguments: ["--jobs", "1"], port: server.port)
        }
        let finished = try await Live.waitForJob(server, uuid, token: token)
        #expect(finished["status"] as? String == "done", "\(finished)")
        let (code, text) = try await server.http(["-H", "Authorization: Bearer \(token)", "\(server.baseURL)/api/v1/ocr/\(uuid)/download/?format=txt"])
        #expect(code == 200)
        let body = String(decoding: text, as: UTF8.self)
        #expect(body.contains("Page 1 of the ten page report") && body.contains("Page 10 of the ten page report"))
        #expect(try await Live.creditsUsed("office", in: folder) == 10)
        #expect(Live.files("uploads", of: folder).isEmpty)
        #expect(resultFilesAreOnly(uuid, in: folder))
    }

    @Test("a file that kills the server every time is given up after max_job_attempts crashes, and refunded")
    func crashLoopIsBroken() async throws {
        let folder = Live.temporaryFolder("crash")
        try Live.writeConfig(#"{"inline_page_limit": 0, "max_job_attempts": 2}"#, in: folder)
        let token = try await Live.paidToken("office", credits: 100, in: folder)
        var server = try await ServerProcess(dataFolder: folder, arguments: ["--jobs", "1"], environment: ["OCRCHAT_CRASH_AT": "result-written"])
        let (_, job) = try await Live.upload(server, "phototest.png", token: token)
        let uuid = try #require(job["uuid"] as? String)
        #expect(await server.waitForExit(within: 60))
        // The second run takes the requeued job and dies on it again (perhaps before it answers a
        // health check, so a failed start is part of the plan).
        if let second = try? await ServerProcess(dataFolder: folder, arguments: ["--jobs", "1"], port: server.port,
                                           environment: ["OCRCHAT_CRASH_AT": "result-written"]) {
            #expect(await second.waitForExit(within: 60))
        }
        server = try await ServerProcess(dataFolder: folder, arguments: ["--jobs", "1"], port: server.port)
        let failed = try await server.json("/api/v1/ocr/\(uuid)/", token: token)
        #expect(failed["status"] as? String == "failed")
        #expect((failed["error"] as? String)?.contains("stopped 2 times") == true, "\(failed)")
        #expect(try await Live.creditsUsed("office", in: folder) == 0)
        #expect(Live.files("uploads", of: folder).isEmpty)
        #expect(Live.files("results", of: folder).isEmpty)
        // The server is fine and takes new work.
        #expect(try await Live.upload(server, "phototest.png", token: token).0 == 200)
    }

    @Test("SIGTERM during an inline job: the client gets its result, the process exits 0")
    func sigtermFinishesInlineWork() async throws {
        let folder = Live.temporaryFolder("crash")
        let server = try await ServerProcess(dataFolder: folder)
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let out = Pipe()
        curl.arguments = ["curl", "-s", "--max-time", "120", "-F", "file=@\(ConvertCommandTests.sample("scanned-2pages.pdf"))",
                          "\(server.baseURL)/api/v1/ocr/"]
        curl.standardOutput = out
        try curl.run()
        async let answer = ChildProcess.readToEnd(out.fileHandleForReading)
        // Once the upload is on disk, recognition is under way.
        #expect(await Live.waitUntil(seconds: 30) { !Live.files("uploads", of: folder).isEmpty })
        let exitStatus = await server.terminate(within: 60)
        let body = await answer
        _ = await curl.exitStatus()
        #expect(exitStatus == 0, "\(server.log)")
        let job = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        #expect(job["status"] as? String == "done", "\(String(decoding: body, as: UTF8.self))")
        #expect((job["text"] as? String)?.contains("Northwind") == true)
        #expect(Live.files("uploads", of: folder).isEmpty)
    }

    @Test("SIGTERM while a client stalls in the middle of an upload: exit 0 within the grace time, nothing left")
    func sigtermCutsStalledUpload() async throws {
        let folder = Live.temporaryFolder("crash")
        try Live.writeConfig(#"{"shutdown_grace_seconds": 2}"#, in: folder)
        let server = try await ServerProcess(dataFolder: folder)
        let connection = try Live.halfSentUpload(to: server)
        #expect(await Live.waitUntil(seconds: 30) { !Live.files("uploads", of: folder).isEmpty })
        let started = Date()
        let exitStatus = await server.terminate(within: 30)
        #expect(exitStatus == 0, "\(server.log)")
        #expect(Date().timeIntervalSince(started) < 25, "bounded by the grace time, not by the client")
        #expect(Live.files("uploads", of: folder).isEmpty, "the cut upload is removed")
        _ = connection
    }
}
