import Foundation
import PostgresNIO

extension PostgresStore {
    func insert(_ job: JobRecord, charge: Charge, callbackURL: String?) async throws -> JobRecord {
        try await transaction { [self] connection in
            var job = job
            switch charge {
            case .nothing:
                break
            case .allowance(let key, let period, let limit, let cost, _):
                // The usage row exists before it is locked, so that two first uploads of a period
                // queue on one row instead of both inserting it.
                try await connection.query("""
                    INSERT INTO usage (key, period, pages) VALUES (\(key), \(period), 0) ON CONFLICT DO NOTHING
                    """, logger: logger)
                let used = try await connection.query("""
                    SELECT pages FROM usage WHERE key = \(key) AND period = \(period) FOR UPDATE
                    """, logger: logger).collect().first?.decode(Int.self) ?? 0
                try charge.apply(to: &job, used: used, limit: limit)
                try await connection.query("UPDATE usage SET pages = \(used + cost) WHERE key = \(key) AND period = \(period)",
                                           logger: logger)
            case .credits(let accountID, let cost):
                guard let row = try await connection.query("""
                    SELECT credits_total, credits_used FROM account WHERE id = \(accountID) FOR UPDATE
                    """, logger: logger).collect().first else { throw APIError.invalidToken }
                let (total, used) = try row.decode((Int, Int).self)
                try charge.apply(to: &job, used: used, limit: total)
                try await connection.query("UPDATE account SET credits_used = credits_used + \(cost) WHERE id = \(accountID)",
                                           logger: logger)
            }
            do {
                try await connection.query(job.insertQuery, logger: logger)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" && job.idempotencyKey != nil {
                throw StoreConflict()
            }
            if let callbackURL {
                try await connection.query("INSERT INTO job_callback (job_uuid, url) VALUES (\(job.uuid), \(callbackURL))", logger: logger)
            }
            if job.status == .pending { try await notifyNewJob(connection) }
            return job
        }
    }

    func job(idempotencyKey key: String, owner: String) async throws -> JobRecord? {
        try await rows("""
            SELECT * FROM job WHERE idempotency_key = \(key) AND \(unescaped: JobRecord.ownerSQL()) = \(owner)
            """).first.map(JobRecord.init)
    }

    func job(_ uuid: String) async throws -> JobRecord? {
        try await rows("SELECT * FROM job WHERE uuid = \(uuid)").first.map(JobRecord.init)
    }

    func claimNextPending(_ claim: QueueClaim) async throws -> JobRecord? {
        try await transaction { [self] connection in
            // The order of JobRecord.claimOrderSQL, with the jobs running per owner counted once
            // per claim rather than once per waiting job (a long queue stays cheap to claim from).
            // SKIP LOCKED: a job another node is claiming at this instant is passed over, not waited for.
            guard let uuid = try await connection.query("""
                SELECT job.uuid FROM job
                LEFT JOIN account ON account.id = job.account_id
                LEFT JOIN (SELECT \(unescaped: JobRecord.ownerSQL()) AS owner, COUNT(*) AS n FROM job
                           WHERE status = 'processing' GROUP BY 1) AS running ON running.owner = \(unescaped: JobRecord.ownerSQL())
                WHERE job.status = 'pending'
                  -- Only once its upload is in the database: the node that took it inserts the job,
                  -- then stores the file; a node woken between the two would find nothing to read.
                  AND (job.upload_path IS NULL
                       OR EXISTS (SELECT 1 FROM job_file WHERE job_file.job_uuid = job.uuid AND job_file.name = \(JobFile.upload.name)))
                ORDER BY CASE WHEN account.plan = 'paid' THEN 0 ELSE 1 END, COALESCE(running.n, 0), job.created_at, job.uuid
                LIMIT 1 FOR UPDATE OF job SKIP LOCKED
                """, logger: logger).collect().first?.decode(String.self) else { return nil }
            let now = Date()
            return try await connection.query("""
                UPDATE job SET status = 'processing', attempts = attempts + 1, epoch = epoch + 1, node = \(claim.node),
                lease_expires_at = \(claim.expiry(from: now)), updated_at = \(now), started_at = \(now)
                WHERE uuid = \(uuid) RETURNING *
                """, logger: logger).collect().first.map { try JobRecord($0.makeRandomAccess()) }
        }
    }

    func renewLease(_ uuid: String, epoch: Int, _ claim: QueueClaim) async throws -> Bool {
        try await !rows("""
            UPDATE job SET lease_expires_at = \(claim.expiry(from: Date()))
            WHERE uuid = \(uuid) AND epoch = \(epoch) AND status = 'processing' RETURNING uuid
            """).isEmpty
    }

    func updateProgress(_ uuid: String, epoch: Int, pagesDone: Int) async throws {
        try await rows("""
            UPDATE job SET pages_done = \(pagesDone), updated_at = \(Date())
            WHERE uuid = \(uuid) AND epoch = \(epoch) AND status = 'processing'
            """)
    }

    @discardableResult
    func finish(_ uuid: String, epoch: Int, resultPath: String, pageCount: Int) async throws -> Bool {
        let now = Date()
        return try await !rows("""
            UPDATE job SET status = 'done', result_path = \(resultPath), page_count = \(pageCount), pages_done = \(pageCount),
            upload_path = NULL, password = NULL, error = NULL, lease_expires_at = NULL, updated_at = \(now), finished_at = \(now)
            WHERE uuid = \(uuid) AND epoch = \(epoch) AND status = 'processing' RETURNING uuid
            """).isEmpty
    }

    func deleteJob(_ uuid: String, owner: String) async throws -> JobRecord? {
        let deleted = try await transaction { [self] connection -> JobRecord? in
            guard let row = try await connection.query("SELECT * FROM job WHERE uuid = \(uuid) FOR UPDATE", logger: logger)
                .collect().first else { return nil }
            let job = try JobRecord(row.makeRandomAccess())
            guard JobRecord.owner(accountID: job.accountID, clientIP: job.clientIP) == owner else { return nil }
            if job.status == .pending { try await refund(job, connection) }
            try await connection.query("DELETE FROM job WHERE uuid = \(uuid)", logger: logger)
            return job
        }
        if deleted != nil { await sharedFolder?.remove(job: uuid) }
        return deleted
    }

    func fail(_ uuid: String, epoch: Int, reason: String) async throws {
        try await transaction { [self] connection in
            guard let row = try await connection.query("""
                SELECT * FROM job WHERE uuid = \(uuid) AND epoch = \(epoch) AND status NOT IN ('done', 'failed') FOR UPDATE
                """, logger: logger).collect().first else { return }
            try await giveUp(try JobRecord(row.makeRandomAccess()), reason: reason, connection)
        }
    }

    func requeue(_ uuid: String, epoch: Int) async throws {
        try await transaction { [self] connection in
            try await connection.query("""
                UPDATE job SET status = 'pending', pages_done = 0, started_at = NULL, lease_expires_at = NULL,
                attempts = GREATEST(0, attempts - 1), updated_at = \(Date())
                WHERE uuid = \(uuid) AND epoch = \(epoch) AND status = 'processing'
                """, logger: logger)
            try await notifyNewJob(connection)
        }
    }

    /// Fails the job with `reason` and gives back its charge, inside the caller's transaction.
    func giveUp(_ job: JobRecord, reason: String, _ connection: PostgresConnection) async throws {
        try await refund(job, connection)
        let now = Date()
        try await connection.query("""
            UPDATE job SET status = 'failed', error = \(reason), charged = 0, upload_path = NULL, password = NULL,
            lease_expires_at = NULL, updated_at = \(now), finished_at = \(now) WHERE uuid = \(job.uuid)
            """, logger: logger)
    }

    /// Wakes the idle nodes (delivered when the transaction commits).
    func notifyNewJob(_ connection: PostgresConnection) async throws {
        try await connection.query("SELECT pg_notify(\(Self.newJobChannel), '')", logger: logger)
    }

    func pendingCount() async throws -> Int {
        try await rows("SELECT COUNT(*) FROM job WHERE status = 'pending'").first?[0].decode(Int.self) ?? 0
    }

    func jobsFinished(before date: Date) async throws -> [JobRecord] {
        try await rows("SELECT * FROM job WHERE finished_at IS NOT NULL AND finished_at < \(date)").map(JobRecord.init)
    }

    func delete(_ uuid: String) async throws {
        try await rows("DELETE FROM job WHERE uuid = \(uuid)")
        await sharedFolder?.remove(job: uuid)
    }

    func usage(key: String, period: String) async throws -> Int {
        try await rows("SELECT pages FROM usage WHERE key = \(key) AND period = \(period)").first?[0].decode(Int.self) ?? 0
    }

    func jobs(ofAccount accountID: String, limit: Int) async throws -> [JobRecord] {
        try await rows("SELECT * FROM job WHERE account_id = \(accountID) ORDER BY created_at DESC, uuid LIMIT \(limit)")
            .map(JobRecord.init)
    }

    /// This node's own jobs, and any whose claim ran out or that have none (left by a version
    /// without claims): another node's live claims are left alone.
    func recoverInterruptedJobs(maxAttempts: Int, node: String) async throws -> RecoveryReport {
        try await returnToQueue(where: "status = 'processing' AND (node = \(node) OR lease_expires_at IS NULL OR lease_expires_at < \(Date()))",
                                maxAttempts: maxAttempts)
    }

    func returnExpiredLeases(maxAttempts: Int) async throws -> RecoveryReport {
        var report = try await returnToQueue(where: "status = 'processing' AND (lease_expires_at IS NULL OR lease_expires_at < \(Date()))",
                                             maxAttempts: maxAttempts)
        report.failed += try await abandonJobsWithoutUpload()
        return report
    }

    /// How long a queued job may wait for its upload to reach the database (its node stores the
    /// file right after the job; a node that stopped between the two never will).
    static let uploadGraceSeconds = 600.0

    /// Queued jobs whose upload never arrived: failed and refunded, rather than waiting for ever.
    private func abandonJobsWithoutUpload() async throws -> Int {
        try await transaction { [self] connection in
            let cutoff = Date().addingTimeInterval(-Self.uploadGraceSeconds)
            let orphans = try await connection.query("""
                SELECT * FROM job WHERE status = 'pending' AND created_at < \(cutoff) AND upload_path IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM job_file WHERE job_file.job_uuid = job.uuid AND job_file.name = \(JobFile.upload.name))
                FOR UPDATE SKIP LOCKED
                """, logger: logger).collect().map { try JobRecord($0.makeRandomAccess()) }
            for job in orphans {
                try await giveUp(job, reason: "the upload never reached the database: the node that received it stopped first", connection)
            }
            return orphans.count
        }
    }

    /// The jobs `filter` finds (locked, skipping any another node is handling this instant) back
    /// to `pending`, or failed and refunded past `maxAttempts` claims.
    private func returnToQueue(where filter: PostgresQuery, maxAttempts: Int) async throws -> RecoveryReport {
        try await transaction { [self] connection in
            let query = PostgresQuery(unsafeSQL: "SELECT * FROM job WHERE " + filter.sql + " FOR UPDATE SKIP LOCKED",
                                      binds: filter.binds)
            var report = RecoveryReport()
            for job in try await connection.query(query, logger: logger).collect().map({ try JobRecord($0.makeRandomAccess()) }) {
                if job.attempts >= maxAttempts {
                    try await giveUp(job, reason: JobRecord.gaveUpReason(attempts: job.attempts), connection)
                    report.failed += 1
                } else {
                    try await connection.query("""
                        UPDATE job SET status = 'pending', pages_done = 0, lease_expires_at = NULL, updated_at = \(Date())
                        WHERE uuid = \(job.uuid)
                        """, logger: logger)
                    report.requeued += 1
                }
            }
            if report.requeued > 0 { try await notifyNewJob(connection) }
            return report
        }
    }

    func jobsKeepingFiles() async throws -> (live: Set<String>, done: Set<String>) {
        var live = Set<String>(), done = Set<String>()
        for row in try await rows("SELECT uuid, status FROM job WHERE status IN ('pending', 'processing', 'done')") {
            let uuid = try row["uuid"].decode(String.self)
            if try row["status"].decode(String.self) == JobStatus.done.rawValue { done.insert(uuid) } else { live.insert(uuid) }
        }
        return (live, done)
    }

    func sealClearPasswords(with vault: PasswordVault) async throws -> Int {
        let clear = try await rows("""
            SELECT * FROM job WHERE password IS NOT NULL AND password NOT LIKE \(PasswordVault.prefix + "%")
            """).map(JobRecord.init)
        var sealed = 0
        for job in clear {
            let waiting = job.status == .pending || job.status == .processing
            let value = try job.password.flatMap { waiting ? try vault.seal($0, job: job.uuid) : nil }
            try await rows("UPDATE job SET password = \(value) WHERE uuid = \(job.uuid)")
            if value != nil { sealed += 1 }
        }
        return sealed
    }

    /// PostgreSQL's write-ahead log is its own to recycle; a deleted row's space is reused after VACUUM.
    func truncateLog() async throws {}

    /// Gives back what the job was charged, inside the caller's transaction (the caller sets `charged` to 0).
    func refund(_ job: JobRecord, _ connection: PostgresConnection) async throws {
        guard job.charged > 0 else { return }
        if let key = job.chargeKey, let period = job.chargePeriod {
            try await connection.query("""
                UPDATE usage SET pages = GREATEST(0, pages - \(job.charged)) WHERE key = \(key) AND period = \(period)
                """, logger: logger)
        } else if let accountID = job.accountID {
            try await connection.query("""
                UPDATE account SET credits_used = GREATEST(0, credits_used - \(job.charged)) WHERE id = \(accountID)
                """, logger: logger)
        }
    }

    public func health() async throws -> StoreHealth {
        var jobs: [String: [String: Int]] = [:]
        for row in try await rows("SELECT status, tier, COUNT(*) FROM job GROUP BY status, tier") {
            jobs[try row[0].decode(String.self), default: [:]][try row[1].decode(String.self)] = try row[2].decode(Int.self)
        }
        // PostgreSQL checks its own pages as it reads them; answering this query is the check here.
        return StoreHealth(integrity: "ok", jobs: jobs)
    }
}

extension JobRecord {
    /// The job from a row of `SELECT * FROM job`.
    init(_ row: PostgresRandomAccessRow) throws {
        let status = try row["status"].decode(String.self)
        guard let known = JobStatus(rawValue: status) else { throw PostgresDecodingFailure(column: "status", value: status) }
        self.init(
            uuid: try row["uuid"].decode(String.self), accountID: try row["account_id"].decode(String?.self),
            clientIP: try row["client_ip"].decode(String.self), status: known, tier: try row["tier"].decode(String.self),
            language: try row["language"].decode(String.self), tool: try row["tool"].decode(String?.self),
            translateTo: try row["translate_to"].decode(String?.self), password: try row["password"].decode(String?.self),
            fileName: try row["file_name"].decode(String.self), uploadPath: try row["upload_path"].decode(String?.self),
            resultPath: try row["result_path"].decode(String?.self), pageCount: try row["page_count"].decode(Int.self),
            pagesDone: try row["pages_done"].decode(Int.self), error: try row["error"].decode(String?.self),
            charged: try row["charged"].decode(Int.self), chargeKey: try row["charge_key"].decode(String?.self),
            chargePeriod: try row["charge_period"].decode(String?.self), attempts: try row["attempts"].decode(Int.self),
            createdAt: try row["created_at"].decode(Date.self), updatedAt: try row["updated_at"].decode(Date.self),
            finishedAt: try row["finished_at"].decode(Date?.self), idempotencyKey: try row["idempotency_key"].decode(String?.self),
            startedAt: try row["started_at"].decode(Date?.self), node: try row["node"].decode(String?.self),
            epoch: try row["epoch"].decode(Int.self), leaseExpiresAt: try row["lease_expires_at"].decode(Date?.self),
            pageSelection: try row["page_selection"].decode(String?.self), textLayer: try row["text_layer"].decode(String?.self))
    }

    /// The INSERT of this job, every column bound.
    var insertQuery: PostgresQuery {
        """
        INSERT INTO job (uuid, account_id, client_ip, status, tier, language, tool, translate_to, password, file_name,
            upload_path, result_path, page_count, pages_done, error, charged, charge_key, charge_period, attempts,
            created_at, updated_at, finished_at, idempotency_key, started_at, node, epoch, lease_expires_at, page_selection, text_layer)
        VALUES (\(uuid), \(accountID), \(clientIP), \(status.rawValue), \(tier), \(language), \(tool), \(translateTo),
            \(password), \(fileName), \(uploadPath), \(resultPath), \(pageCount), \(pagesDone), \(error), \(charged),
            \(chargeKey), \(chargePeriod), \(attempts), \(createdAt), \(updatedAt), \(finishedAt), \(idempotencyKey), \(startedAt),
            \(node), \(epoch), \(leaseExpiresAt), \(pageSelection), \(textLayer))
        """
    }
}

/// A column held a value this version does not know.
struct PostgresDecodingFailure: Error, CustomStringConvertible {
    let column: String
    let value: String

    var description: String { "unexpected \(column) '\(value)' in the database" }
}
