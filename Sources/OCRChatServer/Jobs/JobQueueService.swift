import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The background worker: takes pending jobs one at a time per runner and processes them, until
/// graceful shutdown, when the job in hand goes back to the queue.
///
/// Jobs are claimed in one transaction, so runners (and other nodes, and a restarted server) never
/// take the same job twice. An idle runner looks again when the store announces a new job (on
/// PostgreSQL, any node's) and at least every `pollInterval`; claims that ran out (a node died)
/// are returned to the queue every half lease. The pages of a job are spread over the engine
/// pool, which inline requests share.
final class JobQueueService: Service {
    /// Reads each claimed job; the queue is its store, and the queue logs to its logger.
    let processor: JobProcessor
    let runners: Int
    /// How often an idle runner looks for new work when nothing announced any.
    let pollInterval: Duration
    /// A job in hand at this many claims (its nodes died or lost it each time) fails and is refunded.
    let maxAttempts: Int
    /// Rung by the store's announcements; idle runners wake on it.
    private let doorbell = Doorbell()

    init(processor: JobProcessor, runners: Int, maxAttempts: Int, pollInterval: Duration = .milliseconds(200)) {
        self.processor = processor
        self.runners = max(1, runners)
        self.maxAttempts = max(1, maxAttempts)
        self.pollInterval = pollInterval
    }

    private var store: any Store { processor.store }
    private var logger: Logger { processor.logger }

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<self.runners {
                    group.addTask { await self.runLoop() }
                }
                group.addTask { [doorbell = self.doorbell] in await self.store.listenForNewJobs { doorbell.ring() } }
                group.addTask { await self.returnExpiredClaims() }
            }
        }
    }

    private func runLoop() async {
        while !Task.isCancelled {
            let rung = doorbell.rings
            do {
                if try await store.pendingCount() > 0, let job = try await store.claimNextPending(processor.claim) {
                    logger.info("job started", metadata: ["job": "\(job.uuid)", "pages": "\(job.pageCount)"])
                    await processor.processQueued(job)
                    continue
                }
            } catch {
                logger.error("job queue: \(error)")
            }
            await doorbell.wait(after: rung, upTo: pollInterval)
        }
    }

    /// Every half lease: claims that ran out go back to the queue (or fail, refunded, at `maxAttempts`).
    private func returnExpiredClaims() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(processor.claim.lease / 2))
            do {
                let report = try await store.returnExpiredLeases(maxAttempts: maxAttempts)
                if report.requeued > 0 { logger.notice("returned \(report.requeued) job(s) whose node stopped renewing its claim") }
                if report.failed > 0 { logger.warning("gave up on \(report.failed) job(s) after \(maxAttempts) lost claims") }
                if report.requeued > 0 { doorbell.ring() }
            } catch {
                logger.error("job queue: \(error)")
            }
        }
    }
}

/// Wakes idle runners when a job is announced: a count of rings, and a wait that ends when it
/// moves or after a time. The wait looks every 25 ms (a local check, no database call).
final class Doorbell: Sendable {
    private let count = Mutex(0)

    var rings: Int { count.withLock { $0 } }

    func ring() { count.withLock { $0 += 1 } }

    /// Returns when the bell rang after `seen` (the count read before the last look for work), or after `limit`.
    func wait(after seen: Int, upTo limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        while rings == seen, ContinuousClock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: min(.milliseconds(25), deadline - ContinuousClock.now))
        }
    }
}

/// Purges results past their retention time, and uploads that belong to no live job.
final class RetentionService: Service {
    let store: any Store
    let folders: DataFolders
    let retention: TimeInterval
    let logger: Logger

    init(store: any Store, folders: DataFolders, retentionHours: Double, logger: Logger) {
        self.store = store
        self.folders = folders
        self.retention = retentionHours * 3600
        self.logger = logger
    }

    /// How often a pass runs: every 5 minutes, or more often when results are kept less than an
    /// hour, so that a result is never kept much past its time.
    var interval: Duration {
        .milliseconds(Int64(min(300, max(1, retention / 10)) * 1000))
    }

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.purge()
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    /// One pass: expired jobs lose their result and their row; files that belong to no job and
    /// have not been touched for an hour (an upload whose request died) are removed.
    func purge(now: Date = Date()) async {
        do {
            let orphans = try await store.removeOrphanFiles(in: folders, olderThan: now.addingTimeInterval(-3600))
            if orphans > 0 { logger.notice("removed \(orphans) orphan file(s) from the data folder") }
            let expired = try await store.jobsFinished(before: now.addingTimeInterval(-retention))
            for job in expired {
                if let path = job.resultPath { try? FileManager.default.removeItem(atPath: path) }
                if let path = job.uploadPath { try? FileManager.default.removeItem(atPath: path) }
                folders.removeFiles(of: job.uuid)
                try await store.delete(job.uuid)
                logger.info("job purged", metadata: ["job": "\(job.uuid)"])
            }
            // The purged rows' text (results, conversations) out of the WAL too, not only the database.
            if !expired.isEmpty { try await store.truncateLog() }
        } catch {
            logger.error("retention: \(error)")
        }
    }
}
