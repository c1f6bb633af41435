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
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    @Test("PostgreSQL stopped mid-run: uploads and /healthz get 503 with Retry-After; started again, uploads work")
    func outageMidRun() async throws {
        let cluster = ThrowawayCluster()  // its own: stopping it must not take the other tests' database away
        var configuration = testConfiguration()
        configuration.database = try await cluster.freshDatabase()
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
}
