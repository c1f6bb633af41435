import Foundation
import GRDB

extension SQLiteStore {
    /// After a kill or a crash, before any request is served: every job left `processing` goes back
    /// to `pending` (its charge stays: it was paid once and will be done once), except a job that was
    /// in hand at `maxAttempts` crashes, which fails with its charge given back so that one poison
    /// file cannot keep the server in a crash loop.
    func recoverInterruptedJobs(maxAttempts: Int) async throws -> RecoveryReport {
        try await database.write { db in
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

    func jobsKeepingFiles() async throws -> (live: Set<String>, done: Set<String>) {
        try await database.read { db -> (live: Set<String>, done: Set<String>) in
            let rows = try Row.fetchAll(db, sql: "SELECT uuid, status FROM job WHERE status IN ('pending', 'processing', 'done')")
            var live = Set<String>(), done = Set<String>()
            for row in rows {
                let uuid: String = row["uuid"], status: String = row["status"]
                if status == JobStatus.done.rawValue { done.insert(uuid) } else { live.insert(uuid) }
            }
            return (live, done)
        }
    }
}
