import Foundation
import GRDB

/// What a restart found and put right.
struct RecoveryReport: Sendable, Equatable {
    /// Jobs left `processing` by a kill or crash, back in the queue.
    var requeued = 0
    /// Jobs that were in hand at too many crashes in a row: failed, and their charge given back.
    var failed = 0
}

extension Store {
    /// After a kill or a crash, before any request is served: every job left `processing` goes back
    /// to `pending` (its charge stays: it was paid once and will be done once), except a job that was
    /// in hand at `maxAttempts` crashes, which fails with its charge given back so that one poison
    /// file cannot keep the server in a crash loop.
    func recoverInterruptedJobs(maxAttempts: Int) throws -> RecoveryReport {
        try database.write { db in
            var report = RecoveryReport()
            let interrupted = try JobRecord.filter(Column("status") == JobStatus.processing.rawValue).fetchAll(db)
            for var job in interrupted {
                if job.attempts >= maxAttempts {
                    try refund(&job, db)
                    job.status = .failed
                    job.error = "the server stopped \(job.attempts) times while working on this file; it was not processed"
                    job.password = nil
                    job.finishedAt = Date()
                    report.failed += 1
                } else {
                    job.status = .pending
                    job.pagesDone = 0
                    report.requeued += 1
                }
                job.updatedAt = Date()
                try job.update(db)
            }
            return report
        }
    }

    /// Removes what no job needs any more: uploads of jobs that are not waiting or in hand (and
    /// half-received uploads, which have no job at all), and result files of jobs that are not
    /// done. Only safe when no request is in flight (at start), or for files older than `olderThan`.
    func removeOrphanFiles(in folders: DataFolders, olderThan cutoff: Date? = nil) throws -> Int {
        let (live, done) = try database.read { db -> (Set<String>, Set<String>) in
            let rows = try Row.fetchAll(db, sql: "SELECT uuid, status FROM job WHERE status IN ('pending', 'processing', 'done')")
            var live = Set<String>(), done = Set<String>()
            for row in rows {
                let uuid: String = row["uuid"], status: String = row["status"]
                if status == JobStatus.done.rawValue { done.insert(uuid) } else { live.insert(uuid) }
            }
            return (live, done)
        }
        var removed = 0
        let fileManager = FileManager.default
        for (folder, keep) in [(folders.uploads, live), (folders.results, done)] {
            for name in (try? fileManager.contentsOfDirectory(atPath: folder.path)) ?? [] {
                // `<uuid>.upload`, `<uuid>.json`, `<uuid>.pdf`, `<uuid>.pdf-error.txt`: the uuid is the first 36 characters.
                let uuid = String(name.prefix(36))
                let isOwnFile = name.count > 37 && name.dropFirst(36).first == "." && UUID(uuidString: uuid) != nil
                if isOwnFile, keep.contains(uuid) { continue }
                let url = folder.appendingPathComponent(name)
                if let cutoff {
                    let modified = (try? fileManager.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? Date()
                    if modified > cutoff { continue }
                }
                if (try? fileManager.removeItem(at: url)) != nil { removed += 1 }
            }
        }
        return removed
    }
}
