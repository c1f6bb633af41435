import Foundation
import Logging
import ServiceLifecycle

/// The background worker: takes pending jobs one at a time per runner and processes them, until
/// graceful shutdown, when the job in hand goes back to the queue.
///
/// Jobs are claimed in a write transaction, so runners (and a restarted server) never take the
/// same job twice. The pages of a job are spread over the engine pool, which inline requests share.
final class JobQueueService: Service {
    let processor: JobProcessor
    let store: any Store
    let runners: Int
    let logger: Logger
    /// How often an idle runner looks for new work.
    let pollInterval: Duration

    init(processor: JobProcessor, store: any Store, runners: Int, logger: Logger, pollInterval: Duration = .milliseconds(200)) {
        self.processor = processor
        self.store = store
        self.runners = max(1, runners)
        self.logger = logger
        self.pollInterval = pollInterval
    }

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<self.runners {
                    group.addTask { await self.runLoop() }
                }
            }
        }
    }

    private func runLoop() async {
        while !Task.isCancelled {
            do {
                if try await store.pendingCount() > 0, let job = try await store.claimNextPending() {
                    logger.info("job started", metadata: ["job": "\(job.uuid)", "pages": "\(job.pageCount)"])
                    await processor.processQueued(job)
                    continue
                }
            } catch {
                logger.error("job queue: \(error)")
            }
            try? await Task.sleep(for: pollInterval)
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
                try? FileManager.default.removeItem(at: folders.searchablePDF(for: job.uuid))
                try? FileManager.default.removeItem(at: folders.searchablePDFFailure(for: job.uuid))
                try? FileManager.default.removeItem(at: folders.previews(for: job.uuid))
                if let path = job.uploadPath { try? FileManager.default.removeItem(atPath: path) }
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
