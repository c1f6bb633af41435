import Foundation
import PostgresNIO

extension PostgresStore {
    func callback(of uuid: String) async throws -> CallbackRecord? {
        try await rows("SELECT * FROM job_callback WHERE job_uuid = \(uuid)").first.map(CallbackRecord.init)
    }

    func claimDueCallback(now: Date, holdUntil: Date) async throws -> (CallbackRecord, JobRecord)? {
        // SKIP LOCKED: a callback another node is claiming at this instant is passed over, not waited for.
        guard let row = try await rows("""
            UPDATE job_callback SET due_at = \(holdUntil) WHERE job_uuid = (
                SELECT c.job_uuid FROM job_callback AS c JOIN job ON job.uuid = c.job_uuid
                WHERE NOT c.closed AND job.status IN ('done', 'failed') AND (c.due_at IS NULL OR c.due_at <= \(now))
                ORDER BY job.finished_at LIMIT 1 FOR UPDATE OF c SKIP LOCKED)
            RETURNING *
            """).first else { return nil }
        let callback = try CallbackRecord(row)
        guard let job = try await job(callback.jobUUID) else { return nil }
        return (callback, job)
    }

    func recordCallbackAttempt(_ callback: CallbackRecord) async throws {
        try await rows("""
            UPDATE job_callback SET attempts = \(callback.attempts), due_at = \(callback.dueAt), closed = \(callback.closed)
            WHERE job_uuid = \(callback.jobUUID)
            """)
    }
}

extension CallbackRecord {
    /// The callback from a row of `job_callback`.
    init(_ row: PostgresRandomAccessRow) throws {
        self.init(jobUUID: try row["job_uuid"].decode(String.self), url: try row["url"].decode(String.self),
                  attempts: try row["attempts"].decode(String.self), dueAt: try row["due_at"].decode(Date?.self),
                  closed: try row["closed"].decode(Bool.self))
    }
}
