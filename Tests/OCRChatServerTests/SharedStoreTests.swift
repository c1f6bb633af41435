import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresHarness
import Testing
@testable import OCRChatServer

@Suite("PostgreSQL away: a clear 503, never a hang or a 500, and work goes on when it is back")
struct SharedStoreTests {
    @Test("a database nobody answers on: the server does not start, and says why within seconds")
    func unreachableAtStart() async throws {
        var configuration = testConfiguration()
        configuration.database = "postgres://ocrchat@127.0.0.1:\(try ThrowawayCluster.freePort())/none?sslmode=disable"
        let started = ContinuousClock.now
        await #expect(throws: StoreUnavailable.self) {
            _ = try await buildApplication(configuration: configuration, reader: sharedEngine, logger: quietLogger)
        }
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test("PostgreSQL stopped mid-run: uploads and /healthz get 503 with Retry-After; started again, uploads work")
    func outageMidRun() async throws {
        let cluster = ThrowawayCluster()  // its own: stopping it must not take the other tests' database away
        var configuration = testConfiguration()
        configuration.database = try await cluster.freshDatabase()
        // Opened beside dozens of other tests on two cores: more than the default 10 s to answer (an
        // outage is still said at once: a stopped cluster refuses its connections).
        configuration.databaseTimeoutSeconds = 30
        let app = try await buildApplication(configuration: configuration, reader: sharedEngine, logger: quietLogger)
        let upload = MultipartBody.upload(try sample("phototest.png"), name: "phototest.png")
        try await app.test(.router) { client in
            func post() async throws -> (HTTPResponse.Status, String?, [String: Any]) {
                try await client.execute(uri: "/api/v1/ocr/", method: .post, headers: upload.headers, body: upload.buffer) {
                    ($0.status, $0.headers[.retryAfter], $0.json)
                }
            }
            let before = try await post()
            #expect(before.0 == .ok && before.2["status"] as? String == "done")
            let uuid = try #require(before.2["uuid"] as? String)

            try await cluster.stop()
            let during = try await post()
            #expect(during.0 == .serviceUnavailable)
            #expect(during.1 == "10")
            #expect((during.2["error"] as? String)?.contains("database is unavailable") == true)
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }
            try await client.execute(uri: "/api/v1/ocr/\(uuid)/", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }

            try await cluster.restart()
            // The pool reconnects on its own; the first uploads after the restart may still find it retrying.
            var after = try await post()
            let deadline = ContinuousClock.now + .seconds(60)
            while after.0 == .serviceUnavailable, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(500))
                after = try await post()
            }
            #expect(after.0 == .ok && after.2["status"] as? String == "done")
            try await client.execute(uri: "/api/v1/ocr/\(uuid)/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.json["status"] as? String == "done", "the job from before the outage is still there")
            }
        }
    }

    @Test("two nodes, one database, two data folders: a job read on A is polled and downloaded on B, files and all")
    func downloadsFromAnotherNode() async throws {
        let shared = try await testConfiguration(.postgres)
        var configurationA = testConfiguration { $0.node = "node-a" }, configurationB = testConfiguration { $0.node = "node-b" }
        configurationA.database = shared.database
        configurationB.database = shared.database
        configurationA.databaseTimeoutSeconds = shared.databaseTimeoutSeconds
        configurationB.databaseTimeoutSeconds = shared.databaseTimeoutSeconds
        let nodeA = try await buildApplication(configuration: configurationA, reader: sharedEngine, logger: quietLogger)
        let nodeB = try await buildApplication(configuration: configurationB, reader: sharedEngine, logger: quietLogger)
        let upload = MultipartBody.upload(try sample("phototest.png"), name: "phototest.png")
        let uuid = try await nodeA.test(.router) { client in
            try await client.execute(uri: "/api/v1/ocr/", method: .post, headers: upload.headers, body: upload.buffer) { response in
                #expect(response.status == .ok)
                #expect(response.json["node"] as? String == "node-a")
                return try #require(response.json["uuid"] as? String)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: configurationB.dataURL.appendingPathComponent("results/\(uuid).json").path))
        try await nodeB.test(.router) { client in
            try await client.execute(uri: "/api/v1/ocr/\(uuid)/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.json["status"] as? String == "done" && response.json["node"] as? String == "node-a")
                #expect((response.json["text"] as? String)?.contains("quick brown dog") == true)
            }
            try await client.execute(uri: "/api/v1/ocr/\(uuid)/download/?format=txt", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("quick brown dog"))
            }
            let pdf = try await client.execute(uri: "/api/v1/ocr/\(uuid)/download/?format=pdf", method: .get) { response in
                #expect(response.status == .ok)
                return Data(buffer: response.body)
            }
            #expect(try await pdfText(pdf).contains("quick brown dog"), "the searchable PDF node A made")
            try await client.execute(uri: "/api/v1/ocr/\(uuid)/pages/0/image/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/jpeg")
                #expect(Array(Data(buffer: response.body).prefix(2)) == [0xFF, 0xD8])
            }
            try await client.execute(uri: "/api/v1/ocr/\(uuid)/", method: .delete) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/api/v1/ocr/\(uuid)/", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
        let store = try await openStore(shared)
        let fetched = temporaryDataFolder().appendingPathComponent("upload")
        try FileManager.default.createDirectory(at: fetched.deletingLastPathComponent(), withIntermediateDirectories: true)
        #expect(try await store.loadFile(job: uuid, name: JobFile.result.name, to: fetched) == false, "deleted with its job")
    }

    @Test("a file of several chunks comes back byte for byte on another store")
    func chunkedFiles() async throws {
        let configuration = try await testConfiguration(.postgres)
        let writer = try await openStore(configuration), reader = try await openStore(configuration)
        var job = RecoveryAndSecretsTests.job(JobID.random(), status: .pending, attempts: 0, account: nil, charged: 0)
        job.uploadPath = "/elsewhere"
        _ = try await writer.insert(job, charge: .nothing)
        let folder = temporaryDataFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let original = folder.appendingPathComponent("original")
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<(PostgresStore.fileChunkBytes * 2 + 12_345)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try bytes.write(to: original)
        try await writer.saveFile(job: job.uuid, name: "upload", contentsOf: original)
        let copy = folder.appendingPathComponent("copy")
        #expect(try await reader.loadFile(job: job.uuid, name: "upload", to: copy))
        #expect(try Data(contentsOf: copy) == bytes)
        #expect(try await reader.loadFile(job: job.uuid, name: "nothing", to: folder.appendingPathComponent("none")) == false)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("none").path))
    }

    @Test("with a shared folder the bytes go to the folder, another store reads them there, one without the folder says so, and they go with their job")
    func sharedFolderFiles() async throws {
        var configuration = try await testConfiguration(.postgres)
        let shared = temporaryDataFolder()
        configuration.sharedFolder = shared.path
        let writer = try await openStore(configuration), reader = try await openStore(configuration)
        var withoutFolder = configuration
        withoutFolder.sharedFolder = nil
        let stranger = try await openStore(withoutFolder)
        let job = RecoveryAndSecretsTests.job(JobID.random(), status: .pending, attempts: 0, account: nil, charged: 0)
        _ = try await writer.insert(job, charge: .nothing)
        let folder = temporaryDataFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let original = folder.appendingPathComponent("original")
        let bytes = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try bytes.write(to: original)
        try await writer.saveFile(job: job.uuid, name: "upload", contentsOf: original)
        let inFolder = shared.appendingPathComponent(job.uuid).appendingPathComponent("upload")
        #expect(try Data(contentsOf: inFolder) == bytes)
        let copy = folder.appendingPathComponent("copy")
        #expect(try await reader.loadFile(job: job.uuid, name: "upload", to: copy))
        #expect(try Data(contentsOf: copy) == bytes)
        await #expect(throws: SharedFolderError.self) {
            try await stranger.loadFile(job: job.uuid, name: "upload", to: folder.appendingPathComponent("stranger"))
        }
        try await writer.delete(job.uuid)
        #expect(!FileManager.default.fileExists(atPath: inFolder.deletingLastPathComponent().path), "removed with its job")
        #expect(throws: SharedFolderError.self) { try SharedFolder(path: "/dev/null/shared") }
        for store in [writer, reader, stranger] { await store.close() }
    }

    @Test("the shared folder's sweep removes only a job folder no job keeps and nobody wrote in for a day; an unlistable folder is no error")
    func sharedFolderSweep() async throws {
        let root = temporaryDataFolder()
        let folder = try SharedFolder(path: root.path)
        let kept = UUID().uuidString, orphan = UUID().uuidString, fresh = UUID().uuidString
        let twoDaysAgo = Date().addingTimeInterval(-2 * 86_400)
        for name in [kept, orphan, fresh, "not-a-job"] {
            let url = root.appendingPathComponent(name, isDirectory: true)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            if name != fresh { try FileManager.default.setAttributes([.modificationDate: twoDaysAgo], ofItemAtPath: url.path) }
        }
        #expect(try await folder.sweep(keeping: [kept], writtenBefore: Date().addingTimeInterval(-86_400)) == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == [kept, fresh, "not-a-job"].sorted())
        try FileManager.default.removeItem(at: root)
        #expect(try await folder.sweep(keeping: [], writtenBefore: Date()) == 0)
    }
}
