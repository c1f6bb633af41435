import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OCRChatEngine
import Testing
@testable import OCRChatServer

@Suite("Tokens, ownership and page metering")
struct AuthAndMeteringTests {
    private func upload(_ client: some TestClientProtocol, _ file: String = "phototest.png", token: String? = nil,
                        fields: [String: String] = [:]) async throws -> (HTTPResponse.Status, [String: Any]) {
        let body = MultipartBody.upload(try sample(file), name: file, fields: fields)
        let headers = token.map { body.headers + .bearer($0) } ?? body.headers
        return try await client.execute(uri: "/api/v1/ocr/", method: .post, headers: headers, body: body.buffer) {
            ($0.status, $0.json)
        }
    }

    @Test("an unknown or revoked token is a 401, in the header or the query; no token is anonymous", arguments: Backend.allCases)
    func tokens(_ backend: Backend) async throws {
        let configuration = try await testConfiguration(backend)
        let app = try await buildApplication(configuration: configuration, reader: sharedEngine, logger: quietLogger)
        let store = try await openStore(configuration)
        let (_, token) = try await store.createAccount(name: "alice", plan: .free, credits: 0)
        try await app.test(.router) { client in
            #expect(try await upload(client, token: "ocr_made_up").0 == .unauthorized)
            let (status, job) = try await upload(client, token: token)
            #expect(status == .ok)
            let uuid = try #require(job["uuid"] as? String)
            try await client.execute(uri: "/api/v1/ocr/\(uuid)/?api_token=\(token)", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/v1/ocr/\(uuid)/?api_token=wrong", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.json["error"] as? String == "invalid or revoked API token")
            }
            try await store.revokeAccounts(matching: "alice")
            #expect(try await upload(client, token: token).0 == .unauthorized)
            #expect(try await upload(client).0 == .ok)  // anonymous
        }
    }

    @Test("a job belongs to its creator: another account, or an anonymous caller, gets 404", arguments: Backend.allCases)
    func ownership(_ backend: Backend) async throws {
        let configuration = try await testConfiguration(backend)
        let app = try await buildApplication(configuration: configuration, reader: sharedEngine, logger: quietLogger)
        let store = try await openStore(configuration)
        let (_, alice) = try await store.createAccount(name: "alice", plan: .free, credits: 0)
        let (_, bob) = try await store.createAccount(name: "bob", plan: .free, credits: 0)
        try await app.test(.router) { client in
            let uuid = try #require(try await upload(client, token: alice).1["uuid"] as? String)
            for (headers, expected) in [(HTTPFields.bearer(alice), HTTPResponse.Status.ok), (.bearer(bob), .notFound), ([:], .notFound)] {
                try await client.execute(uri: "/api/v1/ocr/\(uuid)/", method: .get, headers: headers) { response in
                    #expect(response.status == expected)
                }
                try await client.execute(uri: "/api/v1/ocr/\(uuid)/download/?format=txt", method: .get, headers: headers) { response in
                    #expect(response.status == expected)
                }
            }
        }
    }

    @Test("chat needs a token (401), the caller's own job (404) and a finished one (409)", arguments: Backend.allCases)
    func chatRoutes(_ backend: Backend) async throws {
        let configuration = try await testConfiguration(backend)
        let app = try await buildApplication(configuration: configuration, reader: sharedEngine, logger: quietLogger)
        let store = try await openStore(configuration)
        let (_, alice) = try await store.createAccount(name: "alice", plan: .free, credits: 0)
        let (_, bob) = try await store.createAccount(name: "bob", plan: .free, credits: 0)
        try await app.test(.router) { client in
            let done = try #require(try await upload(client, token: alice).1["uuid"] as? String)
            let pending = try #require(try await upload(client, "report-10pages.pdf", token: alice).1["uuid"] as? String)
            let question = ByteBuffer(string: #"{"message": "what is this about?"}"#)
            try await client.execute(uri: "/api/v1/chat/\(done)/", method: .post, body: question) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/api/v1/chat/\(done)/", method: .post, headers: .bearer(bob), body: question) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/chat/\(UUID().uuidString)/", method: .post, headers: .bearer(alice), body: question) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/chat/\(pending)/", method: .post, headers: .bearer(alice), body: question) { response in
                #expect(response.status == .conflict)
            }
            try await client.execute(uri: "/api/v1/chat/\(done)/history/", method: .get, headers: .bearer(alice)) { response in
                #expect(response.status == .ok)
                #expect(response.json["messages"] as? [Any] != nil)
            }
            try await client.execute(uri: "/api/v1/chat/\(done)/history/", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test("402 when the daily allowance is reached, with used and cap; nothing is done", arguments: Backend.allCases)
    func anonymousAllowance(_ backend: Backend) async throws {
        let app = try await buildApplication(configuration: testConfiguration(backend) { $0.metering.anonymousDailyPages = 4 },
                                       reader: sharedEngine, logger: quietLogger)
        try await app.test(.router) { client in
            #expect(try await upload(client, "letter-3pages.tif").0 == .ok)  // 3 of 4 pages
            let (status, body) = try await upload(client, "letter-3pages.tif")
            #expect(status == .paymentRequired)
            #expect(body["used"] as? Int == 3)
            #expect(body["cap"] as? Int == 4)
            #expect((body["error"] as? String)?.contains("allowance") == true)
            #expect(try await upload(client, "phototest.png").0 == .ok)  // the 4th page still fits
            #expect(try await upload(client, "phototest.png").0 == .paymentRequired)
        }
    }

    @Test("402 for a paid account out of credits, and for a file over the per-file cap; vlm pages cost more", arguments: Backend.allCases)
    func creditsAndCaps(_ backend: Backend) async throws {
        let configuration = try await testConfiguration(backend) {
            $0.metering.anonymousFilePageCap = 2
            $0.metering.vlmPageCost = 3
        }
        let app = try await buildApplication(configuration: configuration, reader: sharedEngine, logger: quietLogger)
        let store = try await openStore(configuration)
        let (account, paid) = try await store.createAccount(name: "shop", plan: .paid, credits: 5)
        try await app.test(.router) { client in
            let (capStatus, capBody) = try await upload(client, "letter-3pages.tif")
            #expect(capStatus == .paymentRequired)
            #expect(capBody["used"] as? Int == 3 && capBody["cap"] as? Int == 2)
            #expect(try await upload(client, "phototest.png", token: paid, fields: ["tier": "vlm"]).0 == .ok)  // 3 credits
            let (status, body) = try await upload(client, "phototest.png", token: paid, fields: ["tier": "vlm"])
            #expect(status == .paymentRequired)
            #expect(body["used"] as? Int == 3 && body["cap"] as? Int == 5)
            #expect(try await upload(client, "phototest.png", token: paid).0 == .ok)  // 1 more on cpu
            #expect(try await store.accounts().first { $0.id == account.id }?.creditsUsed == 4)
        }
    }

    @Test("an Idempotency-Key replays the caller's job instead of making and charging another", arguments: Backend.allCases)
    func idempotencyKey(_ backend: Backend) async throws {
        let configuration = try await testConfiguration(backend)
        let app = try await buildApplication(configuration: configuration, reader: sharedEngine, logger: quietLogger)
        let store = try await openStore(configuration)
        let (alice, aliceToken) = try await store.createAccount(name: "alice", plan: .paid, credits: 10)
        let (_, bobToken) = try await store.createAccount(name: "bob", plan: .paid, credits: 10)
        let replayed = HTTPField.Name("Idempotent-Replayed")!
        try await app.test(.router) { client in
            func post(_ token: String, key: String) async throws -> (HTTPResponse.Status, [String: Any], String?) {
                let body = MultipartBody.upload(try sample("phototest.png"), name: "phototest.png")
                var headers = body.headers + .bearer(token)
                headers[HTTPField.Name("Idempotency-Key")!] = key
                return try await client.execute(uri: "/api/v1/ocr/", method: .post, headers: headers, body: body.buffer) {
                    ($0.status, $0.json, $0.headers[replayed])
                }
            }
            let first = try await post(aliceToken, key: "scan-2026-11-25-001")
            #expect(first.0 == .ok && first.2 == nil)
            let uuid = try #require(first.1["uuid"] as? String)
            // The client's answer was lost; it sends the same upload with the same key again.
            let again = try await post(aliceToken, key: "scan-2026-11-25-001")
            #expect(again.0 == .ok)
            #expect(again.1["uuid"] as? String == uuid)
            #expect(again.1["status"] as? String == "done")
            #expect(again.2 == "true")
            #expect(try await store.accounts().first { $0.id == alice.id }?.creditsUsed == 1)
            // Another key, or the same key from another caller, is another job.
            #expect(try await post(aliceToken, key: "scan-2026-11-25-002").1["uuid"] as? String != uuid)
            #expect(try await post(bobToken, key: "scan-2026-11-25-001").1["uuid"] as? String != uuid)
            #expect(try await store.accounts().first { $0.id == alice.id }?.creditsUsed == 2)
            let (status, body, _) = try await post(aliceToken, key: "not a key")
            #expect(status == .badRequest)
            #expect((body["error"] as? String)?.contains("Idempotency-Key") == true)
        }
    }

    @Test("a job that fails costs nothing", arguments: Backend.allCases)
    func failedJobsAreFree(_ backend: Backend) async throws {
        let configuration = try await testConfiguration(backend) { $0.metering.anonymousDailyPages = 10 }
        let slowEngine = try OCREngine(configuration: EngineConfiguration(workers: 1, limits: EngineLimits(secondsPerPage: 0.001)))
        let app = try await buildApplication(configuration: configuration, reader: slowEngine, logger: quietLogger)
        let store = try await openStore(configuration)
        try await app.test(.router) { client in
            let (status, job) = try await upload(client, "letter-3pages.tif")
            #expect(status == .ok)
            #expect(job["status"] as? String == "failed")
            #expect((job["error"] as? String)?.contains("longer than the limit") == true)
        }
        #expect(try await store.usage(key: "ip:unknown", period: Meter.day(Date())) == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: configuration.dataURL.appendingPathComponent("uploads").path).isEmpty)
    }

    @Test("20 uploads at once against an allowance for 10: exactly 10 are accepted", arguments: Backend.allCases)
    func concurrentUploads(_ backend: Backend) async throws {
        // Two-page born-digital PDFs (read from their text layer, so the test measures the
        // accounting, not recognition): 20 pages of allowance fit exactly 10 of them.
        // The router client has no address: every request is the same anonymous caller, whose
        // ceiling of uploads at once (8) is lifted here so that all 20 reach the accounting.
        let app = try await buildApplication(configuration: testConfiguration(backend) { $0.metering.anonymousDailyPages = 20; $0.maxUploadsPerAddress = 0 },
                                       reader: sharedEngine, logger: quietLogger)
        // The router client runs the 20 requests concurrently against the real store; this checks the
        // accounting, with no network timeouts to depend on a loaded machine.
        try await app.test(.router) { client in
            let body = MultipartBody.upload(try sample("born-digital-2pages.pdf"), name: "report.pdf")
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await client.execute(uri: "/api/v1/ocr/", method: .post, headers: body.headers, body: body.buffer) { $0.status }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 10, "\(statuses)")
            #expect(statuses.filter { $0 == .paymentRequired }.count == 10)
        }
    }

    @Test("metering off: no allowance applies", arguments: Backend.allCases)
    func meteringOff(_ backend: Backend) async throws {
        let app = try await buildApplication(configuration: testConfiguration(backend) {
            $0.metering.enabled = false
            $0.metering.anonymousDailyPages = 1
        }, reader: sharedEngine, logger: quietLogger)
        try await app.test(.router) { client in
            let first = try await upload(client, "letter-3pages.tif").0
            let second = try await upload(client, "letter-3pages.tif").0
            #expect(first == .ok && second == .ok)
        }
    }
}
