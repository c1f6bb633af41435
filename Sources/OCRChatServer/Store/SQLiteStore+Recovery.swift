import Foundation
import GRDB

extension SQLiteStore {
    /// SQLite's database is this node's alone: every job left `processing` was this node's.
    func recoverInterruptedJobs(maxAttempts: Int, node: String) async throws -> RecoveryReport {
        try await returnToQueue(where: Column("status") == JobStatus.processing.rawValue, maxAttempts: maxAttempts)
    }

    func returnExpiredLeases(maxAttempts: Int) async throws -> RecoveryReport {
        try await returnToQueue(where: Column("status") == JobStatus.processing.rawValue
                                    && (Column("lease_expires_at") == nil || Column("lease_expires_at") < Date()),
                                maxAttempts: maxAttempts)
    }

    /// No other node queues jobs here: the runners' poll finds them.
    func listenForNewJobs(_ newJob: @escaping @Sendable () -> Void) async {}

    /// The jobs `filter` finds back to `pending`, or failed and refunded past `maxAttempts` claims.
    private func returnToQueue(where filter: SQLExpression, maxAttempts: Int) async throws -> RecoveryReport {
        try await database.write { db in
            var report = RecoveryReport()
            for var job in try JobRecord.filter(filter).fetchAll(db) {
                if job.attempts >= maxAttempts {
                    try self.giveUp(&job, reason: JobRecord.gaveUpReason(attempts: job.attempts), db)
                    report.failed += 1
                } else {
                    job.status = .pending
                    job.pagesDone = 0
                    job.leaseExpiresAt = nil
                    job.updatedAt = Date()
                    try job.update(db)
                    report.requeued += 1
                }
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
