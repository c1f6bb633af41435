import Foundation
import Testing
@testable import OCRChatServer

@Suite("The shared queue: paid first, claims with leases and epochs, lost claims write nothing")
struct QueueClaimTests {
    private func queued(_ store: any Store, account: String? = nil, secondsAgo: Double = 0, charge: Charge = .nothing) async throws -> String {
        var record = RecoveryAndSecretsTests.job(JobID.random(), status: .pending, attempts: 0, account: account, charged: 0)
        record.createdAt = Date().addingTimeInterval(-secondsAgo)
        return try await store.insert(record, charge: charge).uuid
    }

    /// A store on `backend` with a paid account of 10 credits and one of its jobs queued, charged `cost`.
    private func officeJob(_ backend: Backend, cost: Int) async throws -> (any Store, AccountRecord, String) {
        let store = try await openStore(testConfiguration(backend))
        let (account, _) = try await store.createAccount(name: "office", plan: .paid, credits: 10)
        return (store, account, try await queued(store, account: account.id, charge: .credits(accountID: account.id, cost: cost)))
    }

    @Test("a paid account's job queued after free and anonymous ones is taken first", arguments: Backend.allCases)
    func paidFirst(_ backend: Backend) async throws {
        let store = try await openStore(testConfiguration(backend))
        let (free, _) = try await store.createAccount(name: "volunteer", plan: .free, credits: 0)
        let (paid, _) = try await store.createAccount(name: "law firm", plan: .paid, credits: 10)
        let anonymous = try await queued(store, secondsAgo: 30)
        let freeJob = try await queued(store, account: free.id, secondsAgo: 20)
        let paidJob = try await queued(store, account: paid.id, secondsAgo: 1)
        #expect(try await store.claimNextPending(.local)?.uuid == paidJob)
        #expect(try await store.claimNextPending(.local)?.uuid == anonymous)
        #expect(try await store.claimNextPending(.local)?.uuid == freeJob)
    }

    @Test("a claim that runs out goes back to the queue; its old node can then neither finish, fail nor requeue it", arguments: Backend.allCases)
    func lostClaim(_ backend: Backend) async throws {
        let (store, account, uuid) = try await officeJob(backend, cost: 3)
        let short = QueueClaim(node: "node-a", lease: 10)  // long enough that a loaded machine renews in time
        let first = try #require(try await store.claimNextPending(short))
        #expect(first.node == "node-a" && first.epoch == 1 && first.leaseExpiresAt != nil)
        #expect(try await store.renewLease(uuid, epoch: first.epoch, short))
        #expect(try await store.returnExpiredLeases(maxAttempts: 3) == RecoveryReport(), "a renewed claim is not taken back")

        try await Task.sleep(for: .milliseconds(10_500))  // node A stops renewing
        #expect(try await store.returnExpiredLeases(maxAttempts: 3) == RecoveryReport(requeued: 1))
        #expect(try await store.renewLease(uuid, epoch: first.epoch, short) == false)
        let second = try #require(try await store.claimNextPending(QueueClaim(node: "node-b", lease: 60)))
        #expect(second.uuid == uuid && second.epoch == 2 && second.node == "node-b")

        // Node A comes back with its stale claim: nothing it writes lands, and nothing is refunded.
        #expect(try await store.finish(uuid, epoch: first.epoch, resultPath: "/stale.json", pageCount: 1) == false)
        try await store.fail(uuid, epoch: first.epoch, reason: "stale")
        try await store.requeue(uuid, epoch: first.epoch)
        try await store.updateProgress(uuid, epoch: first.epoch, pagesDone: 7)
        let now = try #require(try await store.job(uuid))
        #expect(now.status == .processing && now.node == "node-b" && now.pagesDone == 0 && now.error == nil)
        #expect(try await store.accounts().first { $0.id == account.id }?.creditsUsed == 3)

        #expect(try await store.finish(uuid, epoch: second.epoch, resultPath: "/result.json", pageCount: 1))
        let done = try #require(try await store.job(uuid))
        #expect(done.status == .done && done.resultPath == "/result.json" && done.node == "node-b")
        #expect(try await store.accounts().first { $0.id == account.id }?.creditsUsed == 3, "charged once")
    }

    @Test("a job whose claims ran out max_job_attempts times fails and is refunded", arguments: Backend.allCases)
    func givenUp(_ backend: Backend) async throws {
        let (store, account, uuid) = try await officeJob(backend, cost: 4)
        let short = QueueClaim(node: "dies-every-time", lease: 0.1)
        for attempt in 1...2 {
            #expect(try await store.claimNextPending(short)?.attempts == attempt)
            try await Task.sleep(for: .milliseconds(250))
            #expect(try await store.returnExpiredLeases(maxAttempts: 2).requeued == (attempt < 2 ? 1 : 0))
        }
        let job = try #require(try await store.job(uuid))
        #expect(job.status == .failed && job.error?.contains("stopped 2 times") == true)
        #expect(try await store.accounts().first { $0.id == account.id }?.creditsUsed == 0)
    }

    @Test("two nodes claiming at once from one database never take the same job", arguments: Backend.allCases)
    func concurrentClaims(_ backend: Backend) async throws {
        let configuration = try await testConfiguration(backend)
        let nodes = [try await openStore(configuration), try await openStore(configuration)]
        var queuedJobs = Set<String>()
        for index in 0..<20 { queuedJobs.insert(try await queued(nodes[0], secondsAgo: Double(20 - index))) }
        let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
            for (index, node) in nodes.enumerated() {
                for _ in 0..<4 {
                    group.addTask {
                        var mine: [String] = []
                        while let job = try await node.claimNextPending(QueueClaim(node: "node-\(index)", lease: 60)) {
                            mine.append(job.uuid)
                        }
                        return mine
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claimed.count == 20)
        #expect(Set(claimed) == queuedJobs)
    }

    @Test("on PostgreSQL a queued job is claimed only once its upload is stored; one whose upload never came is failed and refunded")
    func claimWaitsForUpload() async throws {
        let store = try await openStore(testConfiguration(.postgres))
        let (account, _) = try await store.createAccount(name: "office", plan: .paid, credits: 10)
        func queuedWithUpload(secondsAgo: Double) async throws -> String {
            var record = RecoveryAndSecretsTests.job(JobID.random(), status: .pending, attempts: 0, account: account.id, charged: 0)
            record.uploadPath = "/uploads/\(record.uuid).upload"
            record.createdAt = Date().addingTimeInterval(-secondsAgo)
            return try await store.insert(record, charge: .credits(accountID: account.id, cost: 2)).uuid
        }
        // Inserted by its node, the upload not yet stored: another node woken now must not take it.
        let arriving = try await queuedWithUpload(secondsAgo: 0)
        #expect(try await store.claimNextPending(.local) == nil)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("upload-\(UUID().uuidString)")
        try Data("%PDF-1.4".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try await store.saveFile(job: arriving, name: JobFile.upload.name, contentsOf: file)
        #expect(try await store.claimNextPending(.local)?.uuid == arriving)

        // Its node stopped between the two: past the grace time the job fails and its charge comes back.
        let orphan = try await queuedWithUpload(secondsAgo: PostgresStore.uploadGraceSeconds + 60)
        #expect(try await store.accounts().first { $0.id == account.id }?.creditsUsed == 4)
        #expect(try await store.returnExpiredLeases(maxAttempts: 3) == RecoveryReport(failed: 1))
        let failed = try #require(try await store.job(orphan))
        #expect(failed.status == .failed && failed.error?.contains("never reached the database") == true)
        #expect(try await store.accounts().first { $0.id == account.id }?.creditsUsed == 2)
    }

    @Test("on PostgreSQL a job queued by one node wakes the others at once (LISTEN/NOTIFY)")
    func notifications() async throws {
        let configuration = try await testConfiguration(.postgres)
        let listener = try await openStore(configuration), other = try await openStore(configuration)
        let heard = Doorbell()
        let listening = Task { await listener.listenForNewJobs { heard.ring() } }
        defer { listening.cancel() }
        // The listener calls once as it starts (for whatever was queued before it listened).
        await heard.wait(after: 0, upTo: .seconds(10))
        let before = heard.rings
        #expect(before > 0, "the listener started")
        _ = try await queued(other)
        let started = ContinuousClock.now
        await heard.wait(after: before, upTo: .seconds(5))
        #expect(heard.rings > before, "the other node's job was announced")
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
