import Foundation
import OCRChatAnswers
import PostgresNIO

extension PostgresStore {
    public func createAccount(name: String, plan: AccountRecord.Plan, credits: Int) async throws -> (AccountRecord, token: String) {
        let (account, token) = AccountToken.account(name: name, plan: plan, credits: credits)
        try await rows("""
            INSERT INTO account (id, name, plan, token_hash, token_prefix, credits_total, credits_used, created_at, revoked_at)
            VALUES (\(account.id), \(account.name), \(account.plan.rawValue), \(account.tokenHash), \(account.tokenPrefix),
                    \(account.creditsTotal), \(account.creditsUsed), \(account.createdAt), \(account.revokedAt))
            """)
        return (account, token)
    }

    @discardableResult
    public func revokeAccounts(matching nameOrToken: String) async throws -> Int {
        try await rows("""
            UPDATE account SET revoked_at = \(Date()) WHERE revoked_at IS NULL
            AND (token_hash = \(AccountToken.hash(nameOrToken)) OR name = \(nameOrToken) OR token_prefix = \(nameOrToken))
            RETURNING id
            """).count
    }

    public func accounts() async throws -> [AccountRecord] {
        try await rows("SELECT * FROM account ORDER BY created_at").map(AccountRecord.init)
    }

    public func account(forToken token: String) async throws -> AccountRecord? {
        let hash = AccountToken.hash(token)
        let account = try await rows("SELECT * FROM account WHERE token_hash = \(hash) AND revoked_at IS NULL")
            .first.map(AccountRecord.init)
        return AccountToken.verified(account, hash: hash)
    }

    func conversation(_ id: String, job jobUUID: String, accountID: String) async throws -> ConversationRecord? {
        try await rows("""
            SELECT * FROM conversation WHERE id = \(id) AND job_uuid = \(jobUUID) AND account_id = \(accountID)
            """).first.map(ConversationRecord.init)
    }

    func messages(ofConversation id: String) async throws -> [MessageRecord] {
        try await rows("SELECT * FROM message WHERE conversation_id = \(id) ORDER BY id").map(MessageRecord.init)
    }

    func messages(ofJob uuid: String, accountID: String) async throws -> [MessageRecord] {
        try await rows("""
            SELECT message.* FROM message JOIN conversation ON conversation.id = message.conversation_id
            WHERE message.job_uuid = \(uuid) AND conversation.account_id = \(accountID) ORDER BY message.id
            """).map(MessageRecord.init)
    }

    func record(question: String, answer: String, citations: [Citation], job: JobRecord, accountID: String?,
                conversationID: String?, now: Date) async throws -> String {
        let citationsJSON = String(decoding: try JSONEncoder().encode(citations), as: UTF8.self)
        return try await transaction { [self] connection in
            let id: String
            let updated = if let conversationID {
                try await connection.query("UPDATE conversation SET updated_at = \(now) WHERE id = \(conversationID) RETURNING id",
                                           logger: logger).collect()
            } else { [PostgresRow]() }
            if let conversationID, !updated.isEmpty {
                id = conversationID
            } else {
                id = conversationID ?? UUID().uuidString.lowercased()
                try await connection.query("""
                    INSERT INTO conversation (id, job_uuid, account_id, created_at, updated_at)
                    VALUES (\(id), \(job.uuid), \(accountID), \(now), \(now))
                    """, logger: logger)
            }
            for (role, content, cited) in [("user", question, "[]"), ("assistant", answer, citationsJSON)] {
                try await connection.query("""
                    INSERT INTO message (conversation_id, job_uuid, role, content, citations, created_at)
                    VALUES (\(id), \(job.uuid), \(role), \(content), \(cited), \(now))
                    """, logger: logger)
            }
            return id
        }
    }
}

extension AccountRecord {
    /// The account from a row of `SELECT * FROM account`.
    init(_ row: PostgresRandomAccessRow) throws {
        let plan = try row["plan"].decode(String.self)
        guard let known = Plan(rawValue: plan) else { throw PostgresDecodingFailure(column: "plan", value: plan) }
        self.init(id: try row["id"].decode(String.self), name: try row["name"].decode(String.self), plan: known,
                  tokenHash: try row["token_hash"].decode(String.self), tokenPrefix: try row["token_prefix"].decode(String.self),
                  creditsTotal: try row["credits_total"].decode(Int.self), creditsUsed: try row["credits_used"].decode(Int.self),
                  createdAt: try row["created_at"].decode(Date.self), revokedAt: try row["revoked_at"].decode(Date?.self))
    }
}

extension ConversationRecord {
    /// The conversation from a row of `SELECT * FROM conversation`.
    init(_ row: PostgresRandomAccessRow) throws {
        self.init(id: try row["id"].decode(String.self), jobUUID: try row["job_uuid"].decode(String.self),
                  accountID: try row["account_id"].decode(String?.self), createdAt: try row["created_at"].decode(Date.self),
                  updatedAt: try row["updated_at"].decode(Date.self))
    }
}

extension MessageRecord {
    /// The message from a row of `SELECT * FROM message`.
    init(_ row: PostgresRandomAccessRow) throws {
        self.init(id: try row["id"].decode(Int64.self), conversationID: try row["conversation_id"].decode(String.self),
                  jobUUID: try row["job_uuid"].decode(String.self), role: try row["role"].decode(String.self),
                  content: try row["content"].decode(String.self), citations: try row["citations"].decode(String.self),
                  createdAt: try row["created_at"].decode(Date.self))
    }
}
