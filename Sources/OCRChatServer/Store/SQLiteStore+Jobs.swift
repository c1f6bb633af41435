import Foundation
import GRDB

extension SQLiteStore {
    /// Stores a new job and charges for it in one transaction, so that concurrent uploads never
    /// spend the same allowance twice; throws a 402 (and stores nothing) when it does not fit.
    func insert(_ job: JobRecord, charge: Charge, callbackURL: String?) async throws -> JobRecord {
        try await database.write { db in
            var job = job
            switch charge {
            case .nothing:
                break
            case .allowance(let key, let period, let limit, let cost, _):
                let usage = try UsageRecord.fetchOne(db, key: ["key": key, "period": period])
                let used = usage?.pages ?? 0
                try charge.apply(to: &job, used: used, limit: limit)
                try UsageRecord(key: key, period: period, pages: used + cost).save(db)
            case .credits(let accountID, let cost):
                guard var account = try AccountRecord.fetchOne(db, key: accountID) else {
                    throw APIError.invalidToken
                }
                try charge.apply(to: &job, used: account.creditsUsed, limit: account.creditsTotal)
                account.creditsUsed += cost
                try account.update(db)
            }
            do {
                try job.insert(db)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT && job.idempotencyKey != nil {
                throw StoreConflict()
            }
            if let callbackURL { try CallbackRecord(jobUUID: job.uuid, url: callbackURL).insert(db) }
            return job
        }
    }

    /// The job a caller already made with `key` as its `Idempotency-Key`, or nil.
    func job(idempotencyKey key: String, owner: String) async throws -> JobRecord? {
        try await database.read { db in
            try JobRecord.fetchOne(db, sql: """
                SELECT * FROM job WHERE idempotency_key = ? AND \(JobRecord.ownerSQL()) = ?
                """, arguments: [key, owner])
        }
    }

    /// The job, or nil.
    func job(_ uuid: String) async throws -> JobRecord? {
        try await database.read { db in try JobRecord.fetchOne(db, key: uuid) }
    }

    func claimNextPending(_ claim: QueueClaim) async throws -> JobRecord? {
        try await database.write { db in
            guard var job = try JobRecord.fetchOne(db, sql: """
                SELECT job.* FROM job WHERE status = 'pending' ORDER BY \(JobRecord.claimOrderSQL) LIMIT 1
                """) else { return nil }
            job.status = .processing
            job.attempts += 1
            job.epoch += 1
            job.node = claim.node
            job.updatedAt = Date()
            job.startedAt = job.updatedAt
            job.leaseExpiresAt = claim.expiry(from: job.updatedAt)
            try job.update(db)
            return job
        }
    }

    func renewLease(_ uuid: String, epoch: Int, _ claim: QueueClaim) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "UPDATE job SET lease_expires_at = ? WHERE uuid = ? AND epoch = ? AND status = 'processing'",
                           arguments: [claim.expiry(from: Date()), uuid, epoch])
            return db.changesCount > 0
        }
    }

    func updateProgress(_ uuid: String, epoch: Int, pagesDone: Int) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE job SET pages_done = ?, updated_at = ? WHERE uuid = ? AND epoch = ? AND status = 'processing'",
                           arguments: [pagesDone, Date(), uuid, epoch])
        }
    }

    @discardableResult
    func finish(_ uuid: String, epoch: Int, resultPath: String, pageCount: Int) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: """
                UPDATE job SET status = 'done', result_path = ?, page_count = ?, pages_done = ?, upload_path = NULL,
                password = NULL, error = NULL, lease_expires_at = NULL, updated_at = ?, finished_at = ?
                WHERE uuid = ? AND epoch = ? AND status = 'processing'
                """, arguments: [resultPath, pageCount, pageCount, Date(), Date(), uuid, epoch])
            return db.changesCount > 0
        }
    }

    /// Deletes a job at its owner's request, with its conversations and their messages (the
    /// foreign keys cascade), in one transaction; a job still waiting in the queue gives back what
    /// it was charged, since nothing of it was read. Returns the row as it was, or nil when it is
    /// not there or is not `owner`'s.
    func deleteJob(_ uuid: String, owner: String) async throws -> JobRecord? {
        try await database.write { db in
            guard var job = try JobRecord.fetchOne(db, key: uuid),
                  JobRecord.owner(accountID: job.accountID, clientIP: job.clientIP) == owner else { return nil }
            let deleted = job
            if job.status == .pending { try refund(&job, db) }
            try JobRecord.deleteOne(db, key: uuid)
            return deleted
        }
    }

    func fail(_ uuid: String, epoch: Int, reason: String) async throws {
        try await database.write { db in
            guard var job = try JobRecord.fetchOne(db, key: uuid), job.epoch == epoch, job.status != .done, job.status != .failed
            else { return }
            try self.giveUp(&job, reason: reason, db)
        }
    }

    func requeue(_ uuid: String, epoch: Int) async throws {
        try await database.write { db in
            try db.execute(sql: """
                UPDATE job SET status = 'pending', pages_done = 0, started_at = NULL, lease_expires_at = NULL,
                attempts = MAX(0, attempts - 1), updated_at = ? WHERE uuid = ? AND epoch = ? AND status = 'processing'
                """, arguments: [Date(), uuid, epoch])
        }
    }

    /// Fails the job with `reason` and gives back its charge, inside the caller's transaction.
    func giveUp(_ job: inout JobRecord, reason: String, _ db: Database) throws {
        try refund(&job, db)
        job.status = .failed
        job.error = reason
        job.uploadPath = nil
        job.password = nil
        job.leaseExpiresAt = nil
        job.updatedAt = Date()
        job.finishedAt = Date()
        try job.update(db)
    }

    /// Jobs waiting to be processed.
    func pendingCount() async throws -> Int {
        try await database.read { db in try JobRecord.filter(Column("status") == JobStatus.pending.rawValue).fetchCount(db) }
    }

    /// Finished jobs older than `date`, for purging.
    func jobsFinished(before date: Date) async throws -> [JobRecord] {
        try await database.read { db in
            try JobRecord.filter(Column("finished_at") != nil && Column("finished_at") < date).fetchAll(db)
        }
    }

    /// Removes a job's row.
    func delete(_ uuid: String) async throws {
        _ = try await database.write { db in try JobRecord.deleteOne(db, key: uuid) }
    }

    /// Pages used by `key` in `period` (for tests and the account page).
    func usage(key: String, period: String) async throws -> Int {
        try await database.read { db in try UsageRecord.fetchOne(db, key: ["key": key, "period": period])?.pages ?? 0 }
    }

    /// Gives back what the job was charged, inside the caller's transaction.
    func refund(_ job: inout JobRecord, _ db: Database) throws {
        guard job.charged > 0 else { return }
        if let key = job.chargeKey, let period = job.chargePeriod {
            try db.execute(sql: "UPDATE usage SET pages = MAX(0, pages - ?) WHERE key = ? AND period = ?",
                           arguments: [job.charged, key, period])
        } else if let accountID = job.accountID {
            try db.execute(sql: "UPDATE account SET credits_used = MAX(0, credits_used - ?) WHERE id = ?",
                           arguments: [job.charged, accountID])
        }
        job.charged = 0
    }
}
