import Foundation
import Testing
@testable import OCRChatServer

@Suite("Restart recovery, job ids and secret comparison")
struct RecoveryAndSecretsTests {
    static func job(_ uuid: String, status: JobStatus, attempts: Int, account: String?, charged: Int) -> JobRecord {
        JobRecord(uuid: uuid, accountID: account, clientIP: "127.0.0.1", status: status, tier: "cpu", language: "auto",
                  tool: nil, translateTo: nil, password: nil, fileName: "scan.png", uploadPath: nil, resultPath: nil,
                  pageCount: charged, pagesDone: 0, error: nil, charged: 0, chargeKey: nil, chargePeriod: nil,
                  attempts: attempts, createdAt: Date(), updatedAt: Date(), finishedAt: nil)
    }

    @Test("interrupted jobs go back to the queue; one in hand at too many crashes fails and is refunded", arguments: Backend.allCases)
    func recovery(_ backend: Backend) async throws {
        let configuration = try await testConfiguration(backend)
        let folder = configuration.dataURL
        let store = try await openStore(configuration)
        let folders = try DataFolders(root: folder)
        let (account, _) = try await store.createAccount(name: "office", plan: .paid, credits: 10)
        let ids = (0..<4).map { _ in JobID.random() }
        _ = try await store.insert(Self.job(ids[0], status: .processing, attempts: 1, account: account.id, charged: 2), charge: .credits(accountID: account.id, cost: 2))
        _ = try await store.insert(Self.job(ids[1], status: .processing, attempts: 3, account: account.id, charged: 3), charge: .credits(accountID: account.id, cost: 3))
        _ = try await store.insert(Self.job(ids[2], status: .pending, attempts: 0, account: nil, charged: 0), charge: .nothing)
        _ = try await store.insert(Self.job(ids[3], status: .done, attempts: 1, account: nil, charged: 0), charge: .nothing)
        #expect(try await store.accounts().first?.creditsUsed == 5)

        let report = try await store.recoverInterruptedJobs(maxAttempts: 3, node: "local")
        #expect(report == RecoveryReport(requeued: 1, failed: 1))
        #expect(try await store.job(ids[0])?.status == .pending)
        #expect(try await store.job(ids[1])?.status == .failed)
        #expect(try await store.job(ids[1])?.error?.contains("stopped 3 times") == true)
        #expect(try await store.accounts().first?.creditsUsed == 2, "the given-up job's 3 credits are back, the requeued job's 2 stay spent")

        // Files: uploads of waiting jobs stay, others go; results only of done jobs stay.
        let keep = [folders.upload(for: ids[0]), folders.upload(for: ids[2]), folders.result(for: ids[3]), folders.searchablePDF(for: ids[3])]
        let drop = [folders.upload(for: ids[1]), folders.upload(for: ids[3]), folders.upload(for: JobID.random()),
                    folders.result(for: ids[0]), folders.searchablePDF(for: ids[0]),
                    folders.results.appendingPathComponent(".\(ids[3]).json.tmp-XYZ"), folders.uploads.appendingPathComponent("stray")]
        for url in keep + drop { try Data("x".utf8).write(to: url) }
        // A sweep while serving leaves young files alone (an upload may be arriving).
        #expect(try await store.removeOrphanFiles(in: folders, olderThan: Date().addingTimeInterval(-3600)) == 0)
        #expect(try await store.removeOrphanFiles(in: folders) == drop.count)
        for url in keep { #expect(FileManager.default.fileExists(atPath: url.path), "\(url.lastPathComponent)") }
        for url in drop { #expect(!FileManager.default.fileExists(atPath: url.path), "\(url.lastPathComponent)") }
    }

    @Test("the queue is fair: a caller with jobs running waits behind one who has none, oldest first among equals", arguments: Backend.allCases)
    func fairQueue(_ backend: Backend) async throws {
        let store = try await openStore(testConfiguration(backend))
        func queued(_ account: String?, ip: String = "127.0.0.1", secondsAgo: Double) async throws -> String {
            var record = Self.job(JobID.random(), status: .pending, attempts: 0, account: account, charged: 0)
            record.clientIP = ip
            record.createdAt = Date().addingTimeInterval(-secondsAgo)
            return try await store.insert(record, charge: .nothing).uuid
        }
        // A bulk caller queued four files long ago; an office account and an anonymous caller one each, later.
        var bulk: [String] = []
        for index in 0..<4 { bulk.append(try await queued("bulk", secondsAgo: 100 - Double(index))) }
        let office = try await queued("office", secondsAgo: 10)
        let anonymous = try await queued(nil, ip: "10.0.0.7", secondsAgo: 5)
        // Two runners: both take the oldest while nobody has anything running... then the next
        // goes to whoever has the fewest running.
        #expect(try await store.claimNextPending(.local)?.uuid == bulk[0])
        #expect(try await store.claimNextPending(.local)?.uuid == office)
        #expect(try await store.claimNextPending(.local)?.uuid == anonymous)
        #expect(try await store.claimNextPending(.local)?.uuid == bulk[1])
        #expect(try await store.claimNextPending(.local)?.uuid == bulk[2])
        #expect(try await store.claimNextPending(.local)?.uuid == bulk[3])
        #expect(try await store.claimNextPending(.local) == nil)
    }

    @Test("a graceful requeue does not count as a crash", arguments: Backend.allCases)
    func gracefulRequeue(_ backend: Backend) async throws {
        let store = try await openStore(testConfiguration(backend))
        let uuid = JobID.random()
        _ = try await store.insert(Self.job(uuid, status: .pending, attempts: 0, account: nil, charged: 0), charge: .nothing)
        for _ in 0..<5 {
            let claimed = try #require(try await store.claimNextPending(.local))
            #expect(claimed.attempts == 1)
            try await store.requeue(uuid, epoch: claimed.epoch)
        }
        #expect(try await store.recoverInterruptedJobs(maxAttempts: 1, node: "local") == RecoveryReport())
        #expect(try await store.job(uuid)?.status == .pending)
    }

    @Test("job ids are distinct random version-4 UUIDs")
    func jobIDs() {
        let ids = (0..<10_000).map { _ in JobID.random() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(100) {
            #expect(UUID(uuidString: id) != nil && id == id.lowercased())
            let characters = Array(id)
            #expect(characters[14] == "4" && "89ab".contains(characters[19]))
        }
        // Every hex digit outside the fixed bits turns up in every position: no counter, no clock.
        for position in [0, 7, 9, 15, 20, 35] {
            #expect(Set(ids.map { Array($0)[position] }).count == 16, "position \(position)")
        }
    }

    @Test("secrets compare equal only when every byte matches, whatever the lengths", arguments: Backend.allCases)
    func constantTime(_ backend: Backend) async throws {
        #expect(ConstantTime.equals("abc", "abc"))
        #expect(!ConstantTime.equals("abc", "abd"))
        #expect(!ConstantTime.equals("abc", "ab"))
        #expect(!ConstantTime.equals("", "a"))
        #expect(ConstantTime.equals("", ""))
        let store = try await openStore(testConfiguration(backend))
        let (account, token) = try await store.createAccount(name: "a", plan: .free, credits: 0)
        #expect(try await store.account(forToken: token)?.id == account.id)
        #expect(account.tokenHash == AccountToken.hash(token) && account.tokenHash.count == 64)
        #expect(try await store.account(forToken: token + "x") == nil)
    }
}
