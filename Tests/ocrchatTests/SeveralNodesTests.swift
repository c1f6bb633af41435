import Foundation
import PostgresHarness
import Testing

/// Several `ocrchat serve` processes on loopback sharing one real PostgreSQL database (the test
/// process's throw-away cluster), each with a data folder of its own, as machines behind one
/// address would be.
@Suite("Several nodes, one PostgreSQL: any node answers any job, a killed node's job is finished by another", .serialized, .oneMachineSlot)
struct SeveralNodesTests {
    /// `names` started on `database`, with claims of `leaseSeconds` (short, so a dead node's job moves on quickly).
    private func nodes(_ names: [String], database: String, leaseSeconds: Double = 3, sharedFolder: URL? = nil,
                       inlinePageLimit: Int = 5) async throws -> [ServerProcess] {
        var started: [ServerProcess] = []
        for name in names {
            let folder = Live.temporaryFolder("node-\(name)")
            try Live.writeConfig(#"{"lease_seconds": \#(leaseSeconds), "inline_page_limit": \#(inlinePageLimit)}"#, in: folder)
            started.append(try await ServerProcess(dataFolder: folder, arguments: ["--database", database, "--node", name, "--jobs", "1"]
                                                   + (sharedFolder.map { ["--shared-folder", $0.path] } ?? [])))
        }
        return started
    }

    private func paidToken(credits: Int, database: String) async throws -> String {
        let run = try await ConvertCommandTests.ocrchat(["token", "create", "--name", "office", "--plan", "paid",
                                                   "--credits", String(credits), "--database", database])
        guard run.status == 0 else { throw ServerError("token create failed: \(run.stderr)") }
        #expect(run.stderr.contains("database postgres://"), "token says which database it used")
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func creditsUsed(database: String) async throws -> Int? {
        let run = try await ConvertCommandTests.ocrchat(["token", "list", "--database", database])
        let columns = run.stdout.split(separator: "\n").map { $0.split(separator: "\t") }.first { $0.first == "office" }
        return columns.flatMap { $0.count > 3 ? Int($0[3].split(separator: "/")[0]) : nil }
    }

    /// The status curl saw for a request (0 when the connection died).
    private static func curlStatus(_ arguments: [String]) async throws -> Int {
        let run = try await ChildProcess.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "300"] + arguments)
        return Int(run.stdout) ?? 0
    }

    @Test("upload on A, poll on B, download on C; /healthz names each node")
    func anyNodeAnswers() async throws {
        let database = try await ThrowawayCluster.shared.freshDatabase()
        let token = try await paidToken(credits: 20, database: database)
        let servers = try await nodes(["a", "b", "c"], database: database)
        for (server, name) in zip(servers, ["a", "b", "c"]) {
            #expect(try await server.json("/healthz")["node"] as? String == name)
        }
        let (status, job) = try await Live.upload(servers[0], "report-10pages.pdf", token: token)
        #expect(status == 200)
        let uuid = try #require(job["uuid"] as? String)
        let done = try await Live.waitForJob(servers[1], uuid, token: token)
        #expect(done["status"] as? String == "done", "\(done)")
        #expect(["a", "b", "c"].contains(done["node"] as? String ?? ""))
        let (downloadStatus, text) = try await servers[2].http(["\(servers[2].baseURL)/api/v1/ocr/\(uuid)/download/?format=txt",
                                                          "-H", "Authorization: Bearer \(token)"])
        #expect(downloadStatus == 200)
        #expect(String(decoding: text, as: UTF8.self).contains("Page 10 of the ten page report"))
        #expect(try await creditsUsed(database: database) == 10)
    }

    @Test("SIGKILL the node reading a 10-page job: another node finishes it, and it is charged once")
    func killedNodesJobMovesOn() async throws {
        let database = try await ThrowawayCluster.shared.freshDatabase()
        let token = try await paidToken(credits: 20, database: database)
        let first = try await nodes(["a"], database: database)[0]
        let (status, job) = try await Live.upload(first, "report-10pages.pdf", token: token)
        #expect(status == 200)
        let uuid = try #require(job["uuid"] as? String)
        // A has it in hand (its claim made, a page or more read) before B exists to take it.
        #expect(await Live.waitUntil(seconds: 120) {
            let polled = (try? await first.json("/api/v1/ocr/\(uuid)/", token: token)) ?? [:]
            return polled["node"] as? String == "a" && (polled["pages_done"] as? Int ?? 0) >= 1
        })
        let second = try await nodes(["b"], database: database)[0]
        await first.kill9()
        let done = try await Live.waitForJob(second, uuid, token: token, seconds: 240)
        #expect(done["status"] as? String == "done", "\(done)")
        #expect(done["node"] as? String == "b")
        #expect(try await creditsUsed(database: database) == 10, "charged once, though read twice")
        #expect(second.log.contains("whose node stopped renewing its claim"))
    }

    @Test("SIGTERM on the node reading a job: it goes back to the queue at once, uncounted, and another node finishes it")
    func stoppedNodesJobMovesOn() async throws {
        let database = try await ThrowawayCluster.shared.freshDatabase()
        let token = try await paidToken(credits: 20, database: database)
        let first = try await nodes(["a"], database: database, leaseSeconds: 60)[0]
        let (status, job) = try await Live.upload(first, "report-10pages.pdf", token: token)
        #expect(status == 200)
        let uuid = try #require(job["uuid"] as? String)
        #expect(await Live.waitUntil(seconds: 120) {
            (try? await first.json("/api/v1/ocr/\(uuid)/", token: token))?["node"] as? String == "a"
        })
        #expect(await first.terminate(within: 30) == 0)
        #expect(first.log.contains("job requeued"))
        // A 60 s lease: only a requeue at the stop, not an expiry, lets B have it this soon.
        let second = try await nodes(["b"], database: database, leaseSeconds: 60)[0]
        let done = try await Live.waitForJob(second, uuid, token: token, seconds: 50)
        #expect(done["status"] as? String == "done" && done["node"] as? String == "b", "\(done)")
        #expect(try await creditsUsed(database: database) == 10)
    }

    @Test("20 uploads at once spread over three nodes on 10 credits: exactly 10 accepted and charged, the rest 402")
    func exactMeteringAcrossNodes() async throws {
        let database = try await ThrowawayCluster.shared.freshDatabase()
        let token = try await paidToken(credits: 10, database: database)
        let servers = try await nodes(["a", "b", "c"], database: database)
        let urls = servers.map(\.baseURL), photo = ConvertCommandTests.sample("phototest.png")
        let seen = await withTaskGroup(of: Int.self) { group in
            for index in 0..<20 {
                group.addTask {
                    (try? await Self.curlStatus(["-F", "file=@\(photo)", "-H", "Authorization: Bearer \(token)",
                                                 "\(urls[index % 3])/api/v1/ocr/"])) ?? 0
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(seen.filter { $0 == 200 }.count == 10, "\(seen)")
        #expect(seen.filter { $0 == 402 }.count == 10, "\(seen)")
        #expect(try await creditsUsed(database: database) == 10)
    }

    @Test("--shared-folder: the files' bytes are in the folder, not in the database; any node reads them; they go with their job")
    func sharedFolderHoldsTheFiles() async throws {
        let database = try await ThrowawayCluster.shared.freshDatabase()
        let token = try await paidToken(credits: 20, database: database)
        let shared = Live.temporaryFolder("shared")
        let servers = try await nodes(["a", "b", "c"], database: database, sharedFolder: shared)
        #expect(servers[0].log.contains("files in the shared folder \(shared.path)"), "\(servers[0].log)")
        let (status, job) = try await Live.upload(servers[0], "report-10pages.pdf", token: token)
        #expect(status == 200)
        let uuid = try #require(job["uuid"] as? String)
        let done = try await Live.waitForJob(servers[1], uuid, token: token)
        #expect(done["status"] as? String == "done", "\(done)")
        let (downloadStatus, text) = try await servers[2].http(["\(servers[2].baseURL)/api/v1/ocr/\(uuid)/download/?format=txt",
                                                          "-H", "Authorization: Bearer \(token)"])
        #expect(downloadStatus == 200)
        #expect(String(decoding: text, as: UTF8.self).contains("Page 10 of the ten page report"))

        let files = shared.appendingPathComponent(uuid, isDirectory: true)
        let upload = try FileManager.default.attributesOfItem(atPath: files.appendingPathComponent("upload").path)[.size] as? Int
        let sample = try FileManager.default.attributesOfItem(atPath: ConvertCommandTests.sample("report-10pages.pdf"))[.size] as? Int
        #expect(upload != nil && upload == sample, "the upload, byte for byte")
        #expect(FileManager.default.fileExists(atPath: files.appendingPathComponent("result.json").path))
        let cluster = ThrowawayCluster.shared
        #expect(try await cluster.query("SELECT COALESCE(SUM(length(bytes)), 0) FROM job_file", on: database) == "0",
                "no file's bytes in the database")
        #expect(Int(try await cluster.query("SELECT COUNT(*) FROM job_file WHERE job_uuid = '\(uuid)'", on: database)) ?? 0 >= 2)

        let (deleted, _) = try await servers[1].http(["-X", "DELETE", "-H", "Authorization: Bearer \(token)",
                                                "\(servers[1].baseURL)/api/v1/ocr/\(uuid)/"])
        #expect((200..<300).contains(deleted))
        #expect(!FileManager.default.fileExists(atPath: files.path), "the job's files go with it")
    }

    @Test("--shared-folder without PostgreSQL, or one this node cannot write in: serve refuses to start and says why")
    func sharedFolderMisconfigured() async throws {
        let folder = Live.temporaryFolder("shared-misconfigured")
        let alone = try await ConvertCommandTests.ocrchat(["serve", "--data", folder.path, "--port", "65001", "--shared-folder", folder.path])
        #expect(alone.status != 0)
        #expect(alone.stderr.contains("sharing a PostgreSQL --database"), "\(alone.stderr)")
        let unwritable = try await ConvertCommandTests.ocrchat(["serve", "--data", folder.path, "--port", "65001",
                                                          "--database", "postgres://nobody@127.0.0.1:1/none", "--shared-folder", "/dev/null/shared"])
        #expect(unwritable.status != 0)
        #expect(unwritable.stderr.contains("/dev/null/shared"), "\(unwritable.stderr)")
    }

    @Test("a paid account's file queued after anonymous ones is read next, before them")
    func paidJobGoesFirst() async throws {
        let database = try await ThrowawayCluster.shared.freshDatabase()
        let token = try await paidToken(credits: 20, database: database)
        // One runner, and every file queued (none read within its POST), so that the order is the queue's alone.
        let node = try await nodes(["a"], database: database, inlinePageLimit: 0)[0]
        let (firstStatus, first) = try await Live.upload(node, "report-10pages.pdf")
        #expect(firstStatus == 200)
        let firstUUID = try #require(first["uuid"] as? String)
        #expect(await Live.waitUntil(seconds: 120) {
            (try? await node.json("/api/v1/ocr/\(firstUUID)/"))?["status"] as? String == "processing"
        })
        var anonymous = [String]()
        for _ in 0..<2 {
            let (status, job) = try await Live.upload(node, "phototest.png")
            #expect(status == 200)
            anonymous.append(try #require(job["uuid"] as? String))
        }
        let (paidStatus, paid) = try await Live.upload(node, "phototest.png", token: token)
        #expect(paidStatus == 200)
        let paidUUID = try #require(paid["uuid"] as? String)
        for uuid in anonymous {
            #expect(try await Live.waitForJob(node, uuid, seconds: 240)["status"] as? String == "done")
        }
        let order = try await ThrowawayCluster.shared.query(
            "SELECT uuid FROM job WHERE status = 'done' ORDER BY finished_at", on: database).split(separator: "\n").map(String.init)
        #expect(order == [firstUUID, paidUUID] + anonymous, "the one in hand first, then the paid one, then the others in their order")
    }

    @Test("PostgreSQL stopped and started under three nodes mid-job: 503s meanwhile, never a 500; the job is done and charged once")
    func databaseOutageUnderNodes() async throws {
        let cluster = ThrowawayCluster()  // its own: stopping it must not touch the other tests' databases
        let database = try await cluster.freshDatabase()
        let token = try await paidToken(credits: 30, database: database)
        let servers = try await nodes(["a", "b", "c"], database: database)
        let (status, job) = try await Live.upload(servers[0], "report-10pages.pdf", token: token)
        #expect(status == 200)
        let uuid = try #require(job["uuid"] as? String)
        #expect(await Live.waitUntil(seconds: 120) {
            (try? await servers[1].json("/api/v1/ocr/\(uuid)/", token: token))?["status"] as? String == "processing"
        })
        try await cluster.stop()
        let photo = ConvertCommandTests.sample("phototest.png")
        var seen = [Int]()
        for server in servers {
            seen.append(try await Self.curlStatus(["-F", "file=@\(photo)", "-H", "Authorization: Bearer \(token)", "\(server.baseURL)/api/v1/ocr/"]))
            seen.append(try await Self.curlStatus(["\(server.baseURL)/healthz"]))
            seen.append(try await Self.curlStatus(["-H", "Authorization: Bearer \(token)", "\(server.baseURL)/api/v1/ocr/\(uuid)/"]))
        }
        #expect(seen.allSatisfy { $0 == 503 }, "uploads, /healthz and polls while the database is away: \(seen)")
        try await Task.sleep(for: .seconds(3))
        try await cluster.restart()
        let done = try await Live.waitForJob(servers[2], uuid, token: token, seconds: 240)
        #expect(done["status"] as? String == "done", "\(done)")
        let (after, _) = try await Live.upload(servers[1], "phototest.png", token: token)
        #expect(after == 200, "uploads work again")
        #expect(try await creditsUsed(database: database) == 11, "the 10-page job once, the page after; nothing refused was charged")
    }
}
