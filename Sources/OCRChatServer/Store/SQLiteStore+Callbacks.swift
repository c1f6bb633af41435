import Foundation
import GRDB

extension SQLiteStore {
    func callback(of uuid: String) async throws -> CallbackRecord? {
        try await database.read { db in try CallbackRecord.fetchOne(db, key: uuid) }
    }

    func claimDueCallback(now: Date, holdUntil: Date) async throws -> (CallbackRecord, JobRecord)? {
        try await database.write { db in
            guard var callback = try CallbackRecord.fetchOne(db, sql: """
                SELECT job_callback.* FROM job_callback JOIN job ON job.uuid = job_callback.job_uuid
                WHERE NOT job_callback.closed AND job.status IN ('done', 'failed')
                  AND (job_callback.due_at IS NULL OR job_callback.due_at <= ?)
                ORDER BY job.finished_at LIMIT 1
                """, arguments: [now]), let job = try JobRecord.fetchOne(db, key: callback.jobUUID) else { return nil }
            callback.dueAt = holdUntil
            try db.execute(sql: "UPDATE job_callback SET due_at = ? WHERE job_uuid = ?", arguments: [holdUntil, callback.jobUUID])
            return (callback, job)
        }
    }

    func recordCallbackAttempt(_ callback: CallbackRecord) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE job_callback SET attempts = ?, due_at = ?, closed = ? WHERE job_uuid = ?",
                           arguments: [callback.attempts, callback.dueAt, callback.closed, callback.jobUUID])
        }
    }
}
