import Foundation
import Logging

/// What `ocrchat bench-queue` measured: the shared queue alone (no reading), `nodes` nodes each
/// claiming and finishing jobs as fast as PostgreSQL lets them.
public struct QueueBenchmark: Sendable {
    public var nodes: Int
    public var jobs: Int
    public var seconds: Double
    public var claimsPerSecond: Double
    public var p50Milliseconds: Double
    public var p95Milliseconds: Double
}

/// Queues `jobs` jobs in `database` (a fresh one: they are left there), then lets `nodes` nodes,
/// each with a connection of its own, claim them with the server's own claim and mark each done
/// at once (a stub reader), timing every claim.
public func benchmarkQueue(database: String, nodes: Int, jobs: Int, logger: Logger) async throws -> QueueBenchmark {
    let setup = try await PostgresStore(url: database, logger: logger)
    let now = Date()
    // Each job's upload is in the database, as the server stores it: a job is claimed only then.
    let upload = FileManager.default.temporaryDirectory.appendingPathComponent("bench-upload-\(UUID().uuidString)")
    try Data(repeating: 0x25, count: 1024).write(to: upload)
    defer { try? FileManager.default.removeItem(at: upload) }
    for index in 0..<jobs {
        let uuid = JobID.random()
        let job = JobRecord(uuid: uuid, accountID: index % 5 == 0 ? nil : "account-\(index % 37)", clientIP: "10.0.0.\(index % 200)",
                            status: .pending, tier: "cpu", language: "auto", tool: nil, translateTo: nil, password: nil,
                            fileName: "bench.pdf", uploadPath: "/bench/\(uuid)", resultPath: nil, pageCount: 10, pagesDone: 0,
                            error: nil, charged: 0, chargeKey: nil, chargePeriod: nil, attempts: 0,
                            createdAt: now.addingTimeInterval(Double(index) / 1000), updatedAt: now, finishedAt: nil)
        _ = try await setup.insert(job, charge: .nothing)
        try await setup.saveFile(job: uuid, name: JobFile.upload.name, contentsOf: upload)
    }
    await setup.close()
    var stores: [PostgresStore] = []
    for _ in 0..<nodes { stores.append(try await PostgresStore(url: database, maximumConnections: 1, logger: logger)) }
    let started = ContinuousClock.now
    let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
        for (index, store) in stores.enumerated() {
            group.addTask {
                let claim = QueueClaim(node: "bench-\(index)", lease: 60)
                var mine: [Duration] = []
                while true {
                    let before = ContinuousClock.now
                    guard let job = try await store.claimNextPending(claim) else { return mine }
                    mine.append(ContinuousClock.now - before)
                    try await store.finish(job.uuid, epoch: job.epoch, resultPath: "/bench/\(job.uuid).json", pageCount: job.pageCount)
                }
            }
        }
        return try await group.reduce(into: [Duration]()) { $0 += $1 }.sorted()
    }
    let elapsed = ContinuousClock.now - started
    for store in stores { await store.close() }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    func milliseconds(_ quantile: Double) -> Double {
        guard !latencies.isEmpty else { return 0 }
        let value = latencies[min(latencies.count - 1, Int(Double(latencies.count) * quantile))]
        return Double(value.components.seconds) * 1000 + Double(value.components.attoseconds) / 1e15
    }
    return QueueBenchmark(nodes: nodes, jobs: latencies.count, seconds: seconds, claimsPerSecond: Double(latencies.count) / seconds,
                          p50Milliseconds: milliseconds(0.5), p95Milliseconds: milliseconds(0.95))
}
