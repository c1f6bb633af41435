import Foundation
import PostgresNIO

extension PostgresStore {
    func insert(_ job: JobRecord, charge: Charge) async throws -> JobRecord {
        try await transaction { [self] connection in
            var job = job
            switch charge {
            case .nothing:
                break
            case .allowance(let key, let period, let limit, let cost, let description):
                // The usage row exists before it is locked, so that two first uploads of a period
                // queue on one row instead of both inserting it.
                try await connection.query("""
                    INSERT INTO usage (key, period, pages) VALUES (\(key), \(period), 0) ON CONFLICT DO NOTHING
                    """, logger: logger)
                let used = try await connection.query("""
                    SELECT pages FROM usage WHERE key = \(key) AND period = \(period) FOR UPDATE
                    """, logger: logger).collect().first?.decode(Int.self) ?? 0
                if used + cost > limit {
                    throw APIError(.paymentRequired, "\(description) page allowance reached", used: used, cap: limit)
                }
                try await connection.query("UPDATE usage SET pages = \(used + cost) WHERE key = \(key) AND period = \(period)",
                                           logger: logger)
                job.charged = cost
                job.chargeKey = key
                job.chargePeriod = period
            case .credits(let accountID, let cost):
                guard let row = try await connection.query("""
                    SELECT credits_total, credits_used FROM account WHERE id = \(accountID) FOR UPDATE
                    """, logger: logger).collect().first else { throw APIError.invalidToken }
                let (total, used) = try row.decode((Int, Int).self)
                if used + cost > total {
                    throw APIError(.paymentRequired, "not enough credits: this file needs \(cost)", used: used, cap: total)
                }
                try await connection.query("UPDATE account SET credits_used = credits_used + \(cost) WHERE id = \(accountID)",
                                           logger: logger)
                job.charged = cost
            }
            do {
                try await connection.query(job.insertQuery, logger: logger)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" && job.idempotencyKey != nil {
                throw StoreConflict()
            }
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

    func claimNextPending() async throws -> JobRecord? {
        try await transaction { [self] connection in
            // SKIP LOCKED: a job another node is claiming at this instant is passed over, not waited for.
            guard let uuid = try await connection.query("""
                SELECT job.uuid FROM job WHERE status = 'pending'
                ORDER BY (SELECT COUNT(*) FROM job AS running WHERE running.status = 'processing'
                          AND \(unescaped: JobRecord.ownerSQL("running")) = \(unescaped: JobRecord.ownerSQL())),
                         created_at, uuid
                LIMIT 1 FOR UPDATE SKIP LOCKED
                """, logger: logger).collect().first?.decode(String.self) else { return nil }
            let now = Date()
            return try await connection.query("""
                UPDATE job SET status = 'processing', attempts = attempts + 1, updated_at = \(now), started_at = \(now)
                WHERE uuid = \(uuid) RETURNING *
                """, logger: logger).collect().first.map { try JobRecord($0.makeRandomAccess()) }
        }
    }

    func updateProgress(_ uuid: String, pagesDone: Int) async throws {
        try await rows("""
            UPDATE job SET pages_done = \(pagesDone), updated_at = \(Date()) WHERE uuid = \(uuid) AND status = 'processing'
            """)
    }

    @discardableResult
    func finish(_ uuid: String, resultPath: String, pageCount: Int) async throws -> Bool {
        let now = Date()
        return try await !rows("""
            UPDATE job SET status = 'done', result_path = \(resultPath), page_count = \(pageCount), pages_done = \(pageCount),
            upload_path = NULL, password = NULL, error = NULL, updated_at = \(now), finished_at = \(now)
            WHERE uuid = \(uuid) RETURNING uuid
            """).isEmpty
    }

    func deleteJob(_ uuid: String, owner: String) async throws -> JobRecord? {
        try await transaction { [self] connection in
            guard let row = try await connection.query("SELECT * FROM job WHERE uuid = \(uuid) FOR UPDATE", logger: logger)
                .collect().first else { return nil }
            let job = try JobRecord(row.makeRandomAccess())
            guard JobRecord.owner(accountID: job.accountID, clientIP: job.clientIP) == owner else { return nil }
            if job.status == .pending { try await refund(job, connection) }
            try await connection.query("DELETE FROM job WHERE uuid = \(uuid)", logger: logger)
            return job
        }
    }

    func fail(_ uuid: String, reason: String) async throws {
        try await transaction { [self] connection in
            guard let row = try await connection.query("""
                SELECT * FROM job WHERE uuid = \(uuid) AND status NOT IN ('done', 'failed') FOR UPDATE
                """, logger: logger).collect().first else { return }
            try await refund(try JobRecord(row.makeRandomAccess()), connection)
            let now = Date()
            try await connection.query("""
                UPDATE job SET status = 'failed', error = \(reason), charged = 0, upload_path = NULL, password = NULL,
                updated_at = \(now), finished_at = \(now) WHERE uuid = \(uuid)
                """, logger: logger)
        }
    }

    func requeue(_ uuid: String) async throws {
        try await rows("""
            UPDATE job SET status = 'pending', pages_done = 0, started_at = NULL, attempts = GREATEST(0, attempts - 1),
            updated_at = \(Date()) WHERE uuid = \(uuid) AND status = 'processing'
            """)
    }

    func pendingCount() async throws -> Int {
        try await rows("SELECT COUNT(*) FROM job WHERE status = 'pending'").first?[0].decode(Int.self) ?? 0
    }

    func jobsFinished(before date: Date) async throws -> [JobRecord] {
        try await rows("SELECT * FROM job WHERE finished_at IS NOT NULL AND finished_at < \(date)").map(JobRecord.init)
    }

    func delete(_ uuid: String) async throws {
        try await rows("DELETE FROM job WHERE uuid = \(uuid)")
    }

    func usage(key: String, period: String) async throws -> Int {
        try await rows("SELECT pages FROM usage WHERE key = \(key) AND period = \(period)").first?[0].decode(Int.self) ?? 0
    }

    func jobs(ofAccount accountID: String, limit: Int) async throws -> [JobRecord] {
        try await rows("SELECT * FROM job WHERE account_id = \(accountID) ORDER BY created_at DESC, uuid LIMIT \(limit)")
            .map(JobRecord.init)
    }

    func recoverInterruptedJobs(maxAttempts: Int) async throws -> RecoveryReport {
        try await transaction { [self] connection in
            var report = RecoveryReport()
            let interrupted = try await connection.query("SELECT * FROM job WHERE status = 'processing' FOR UPDATE", logger: logger)
                .collect().map { try JobRecord($0.makeRandomAccess()) }
            let now = Date()
            for job in interrupted {
                if job.attempts >= maxAttempts {
                    try await refund(job, connection)
                    let reason = "the server stopped \(job.attempts) times while working on this file; it was not processed"
                    try await connection.query("""
                        UPDATE job SET status = 'failed', error = \(reason), charged = 0, password = NULL,
                        finished_at = \(now), updated_at = \(now) WHERE uuid = \(job.uuid)
                        """, logger: logger)
                    report.failed += 1
                } else {
                    try await connection.query("""
                        UPDATE job SET status = 'pending', pages_done = 0, updated_at = \(now) WHERE uuid = \(job.uuid)
                        """, logger: logger)
                    report.requeued += 1
                }
            }
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
            startedAt: try row["started_at"].decode(Date?.self))
    }

    /// The INSERT of this job, every column bound.
    var insertQuery: PostgresQuery {
        """
        INSERT INTO job (uuid, account_id, client_ip, status, tier, language, tool, translate_to, password, file_name,
            upload_path, result_path, page_count, pages_done, error, charged, charge_key, charge_period, attempts,
            created_at, updated_at, finished_at, idempotency_key, started_at)
        VALUES (\(uuid), \(accountID), \(clientIP), \(status.rawValue), \(tier), \(language), \(tool), \(translateTo),
            \(password), \(fileName), \(uploadPath), \(resultPath), \(pageCount), \(pagesDone), \(error), \(charged),
            \(chargeKey), \(chargePeriod), \(attempts), \(createdAt), \(updatedAt), \(finishedAt), \(idempotencyKey), \(startedAt))
        """
    }
}

/// A column held a value this version does not know.
struct PostgresDecodingFailure: Error, CustomStringConvertible {
    let column: String
    let value: String

    var description: String { "unexpected \(column) '\(value)' in the database" }
}
