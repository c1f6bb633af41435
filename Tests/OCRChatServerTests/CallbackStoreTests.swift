import Foundation
import Testing
@testable import OCRChatServer

@Suite("Completion callbacks in the store: due once the job ends, held by one sender, retried, closed")
struct CallbackStoreTests {
    @Test("a callback is due only once its job has ended, one claim holds it, a failed try is due after the back-off, a delivery closes it",
          arguments: Backend.allCases)
    func lifecycle(_ backend: Backend) async throws {
        let store = try await openStore(testConfiguration(backend))
        let record = RecoveryAndSecretsTests.job(JobID.random(), status: .pending, attempts: 0, account: nil, charged: 0)
        let uuid = try await store.insert(record, charge: .nothing, callbackURL: "http://hooks.office.test/ocr").uuid
        let stored = try #require(try await store.callback(of: uuid))
        #expect(stored.url == "http://hooks.office.test/ocr" && stored.decodedAttempts.isEmpty && !stored.closed)
        let plain = try await store.insert(RecoveryAndSecretsTests.job(JobID.random(), status: .pending, attempts: 0, account: nil, charged: 0), charge: .nothing)
        #expect(try await store.callback(of: plain.uuid) == nil)

        let now = Date()
        #expect(try await store.claimDueCallback(now: now, holdUntil: now.addingTimeInterval(40)) == nil, "the job has not ended")
        let job = try #require(try await store.claimNextPending(.local))
        #expect(try await store.finish(uuid, epoch: job.epoch, resultPath: "/r.json", pageCount: 1))

        let (claimed, ended) = try #require(try await store.claimDueCallback(now: now, holdUntil: now.addingTimeInterval(40)))
        #expect(claimed.jobUUID == uuid && ended.status == .done)
        #expect(try await store.claimDueCallback(now: now.addingTimeInterval(1), holdUntil: now.addingTimeInterval(41)) == nil,
                "held by the sender that claimed it")

        let failed = claimed.adding(CallbackAttempt(at: now, httpStatus: 500, error: "HTTP 500", node: "a"), maxAttempts: 3, firstRetry: 10)
        try await store.recordCallbackAttempt(failed)
        #expect(try await store.claimDueCallback(now: now.addingTimeInterval(5), holdUntil: now.addingTimeInterval(45)) == nil)
        let (again, _) = try #require(try await store.claimDueCallback(now: now.addingTimeInterval(11), holdUntil: now.addingTimeInterval(51)))
        #expect(again.decodedAttempts.map(\.httpStatus) == [500])

        let delivered = again.adding(CallbackAttempt(at: now.addingTimeInterval(11), httpStatus: 204, error: nil, node: "b"),
                                     maxAttempts: 3, firstRetry: 10)
        try await store.recordCallbackAttempt(delivered)
        let final = try #require(try await store.callback(of: uuid))
        #expect(final.closed && final.dueAt == nil && final.decodedAttempts.map(\.node) == ["a", "b"])
        #expect(try await store.claimDueCallback(now: now.addingTimeInterval(3600), holdUntil: now.addingTimeInterval(3700)) == nil)

        // A failed job's callback is due as a done one's is.
        let other = try await store.insert(RecoveryAndSecretsTests.job(JobID.random(), status: .pending, attempts: 0, account: nil, charged: 0),
                                           charge: .nothing, callbackURL: "http://hooks.office.test/failed")
        _ = try await store.claimNextPending(.local)  // `plain`, queued first
        let otherClaim = try #require(try await store.claimNextPending(.local))
        #expect(otherClaim.uuid == other.uuid)
        try await store.fail(other.uuid, epoch: otherClaim.epoch, reason: "unreadable")
        let (failedCallback, failedJob) = try #require(try await store.claimDueCallback(now: Date(), holdUntil: Date().addingTimeInterval(40)))
        #expect(failedCallback.jobUUID == other.uuid && failedJob.status == .failed)

        // Deleting the job takes its callback with it.
        #expect(try await store.deleteJob(uuid, owner: JobRecord.owner(accountID: nil, clientIP: record.clientIP)) != nil)
        #expect(try await store.callback(of: uuid) == nil)
    }

    @Test("the back-off doubles from the first retry, and the last try closes the callback whatever it answered")
    func backOff() {
        var callback = CallbackRecord(jobUUID: "j", url: "http://h/")
        let start = Date(timeIntervalSince1970: 1_000_000)
        var gaps: [Double] = []
        for n in 0..<4 {
            let at = start.addingTimeInterval(Double(n) * 1000)
            callback = callback.adding(CallbackAttempt(at: at, httpStatus: nil, error: "refused", node: "a"), maxAttempts: 4, firstRetry: 10)
            if let due = callback.dueAt { gaps.append(due.timeIntervalSince(at)) }
        }
        #expect(gaps == [10, 20, 40])
        #expect(callback.closed && callback.dueAt == nil && callback.decodedAttempts.count == 4)
    }

    @Test("callback_url: only http(s) to a listed host, no credentials; none listed turns callbacks off")
    func urlPolicy() {
        var settings = CallbackConfiguration()
        #expect(settings.problem == nil)
        if case .success = settings.check("http://127.0.0.1/hook") { Issue.record("no hosts listed: no callbacks") }
        settings.hosts = ["hooks.office.test", "127.0.0.1:9000", "[::1]"]
        #expect(settings.problem?.contains("secret") == true)
        settings.secret = "k"
        #expect(settings.problem == nil)
        for good in ["http://hooks.office.test/ocr", "https://HOOKS.office.test:8443/x?y=1", "http://127.0.0.1:9000/", "http://[::1]:5000/"] {
            guard case .success = settings.check(good) else { Issue.record("refused \(good)"); continue }
        }
        for bad in ["http://127.0.0.1/", "http://127.0.0.1:9001/", "ftp://hooks.office.test/", "http://user:pw@hooks.office.test/",
                    "hooks.office.test", "http://evil.test/", "http://hooks.office.test.evil.test/", "file:///etc/passwd"] {
            if case .success = settings.check(bad) { Issue.record("accepted \(bad)") }
        }
        settings.hosts = ["a/b"]
        #expect(settings.problem?.contains("a/b") == true)
    }
}
