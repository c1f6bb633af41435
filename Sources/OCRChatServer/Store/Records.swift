import Foundation
import GRDB
import OCRChatAnswers

/// Where a job stands.
public enum JobStatus: String, Codable, Sendable, DatabaseValueConvertible {
    case pending, processing, done, failed
}

/// One uploaded file and its recognition, as stored.
struct JobRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "job"

    var uuid: String
    /// The account that created it; nil for an anonymous caller.
    var accountID: String?
    var clientIP: String
    var status: JobStatus
    var tier: String
    var language: String
    var tool: String?
    var translateTo: String?
    /// Kept only while the job may still need to open an encrypted PDF; cleared when it ends.
    var password: String?
    var fileName: String
    var uploadPath: String?
    var resultPath: String?
    var pageCount: Int
    var pagesDone: Int
    var error: String?
    /// Credits (or allowance pages) this job took; given back if it fails.
    var charged: Int
    /// Which allowance was charged (`ip:…`, `account:…`) and for which period; nil for credits.
    var chargeKey: String?
    var chargePeriod: String?
    var attempts: Int
    var createdAt: Date
    var updatedAt: Date
    var finishedAt: Date?
    /// The caller's `Idempotency-Key` for the upload that made this job, if it sent one.
    var idempotencyKey: String? = nil
    /// When the current attempt at reading it began (nil while it waits): with `pages_done` and
    /// `updated_at` (the last page finished), what `eta_seconds` is estimated from.
    var startedAt: Date? = nil
    /// The node reading it now, or that read it last (`serve --node`, else the host name).
    var node: String? = nil
    /// Counted up by each claim: a final write names the epoch it claimed, so that a node whose
    /// lease ran out (and whose job another node took) cannot write a stale result.
    var epoch: Int = 0
    /// While it is read: the time by which its node must renew its claim, or any node may take it back.
    var leaseExpiresAt: Date? = nil
    /// The pages the upload asked for (`pages`), as 0-based indexes, comma-separated; nil: every page.
    var pageSelection: String? = nil
    /// What to do with pages that have text of their own (`mode`: skip, redo, force); nil: skip.
    var textLayer: String? = nil

    /// `pageSelection`, decoded.
    var selectedPages: Set<Int>? {
        pageSelection.map { Set($0.split(separator: ",").compactMap { Int($0) }) }
    }

    /// `pages` as stored.
    static func pageSelection(_ pages: Set<Int>?) -> String? {
        pages.map { $0.sorted().map(String.init).joined(separator: ",") }
    }

    /// Whose the job is for idempotency and fairness: the account, or an anonymous caller's address.
    static func owner(accountID: String?, clientIP: String) -> String { accountID ?? "ip:" + clientIP }

    /// `owner(accountID:clientIP:)` in SQL, for the job table under `alias` (the unique index of
    /// migration v3 spells it out for the unaliased table).
    static func ownerSQL(_ alias: String = "job") -> String {
        "COALESCE(\(alias).account_id, 'ip:' || \(alias).client_ip)"
    }

    /// The queue's order, for a query over pending jobs `job` (the same on both databases): paid
    /// accounts' jobs first, then the owner with the fewest jobs running, then the oldest.
    static let claimOrderSQL = """
        CASE WHEN EXISTS (SELECT 1 FROM account WHERE account.id = job.account_id AND account.plan = 'paid') THEN 0 ELSE 1 END,
        (SELECT COUNT(*) FROM job AS running WHERE running.status = 'processing'
         AND \(ownerSQL("running")) = \(ownerSQL())),
        created_at, uuid
        """

    /// Why a job that had `attempts` claims is given up on.
    static func gaveUpReason(attempts: Int) -> String {
        "the server stopped \(attempts) times while working on this file; it was not processed"
    }

    enum CodingKeys: String, CodingKey {
        case uuid, status, tier, language, tool, password, error, charged, attempts
        case accountID = "account_id"
        case clientIP = "client_ip"
        case translateTo = "translate_to"
        case fileName = "file_name"
        case uploadPath = "upload_path"
        case resultPath = "result_path"
        case pageCount = "page_count"
        case pagesDone = "pages_done"
        case chargeKey = "charge_key"
        case chargePeriod = "charge_period"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case finishedAt = "finished_at"
        case idempotencyKey = "idempotency_key"
        case startedAt = "started_at"
        case node, epoch
        case leaseExpiresAt = "lease_expires_at"
        case pageSelection = "page_selection"
        case textLayer = "text_layer"
    }
}

/// An account: a named token with a plan. The token itself is never stored, only its hash.
public struct AccountRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "account"

    public var id: String
    public var name: String
    public var plan: Plan
    public var tokenHash: String
    /// The first characters of the token, to tell tokens apart in listings.
    public var tokenPrefix: String
    public var creditsTotal: Int
    public var creditsUsed: Int
    public var createdAt: Date
    public var revokedAt: Date?

    public enum Plan: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
        case free, paid
    }

    enum CodingKeys: String, CodingKey {
        case id, name, plan
        case tokenHash = "token_hash"
        case tokenPrefix = "token_prefix"
        case creditsTotal = "credits_total"
        case creditsUsed = "credits_used"
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
    }
}

/// Pages used by one caller (`ip:…` or `account:…`) in one period (a day or a month).
struct UsageRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "usage"

    var key: String
    var period: String
    var pages: Int
}

/// A conversation about one job: the messages of one thread of questions.
struct ConversationRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "conversation"

    var id: String
    var jobUUID: String
    var accountID: String?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case jobUUID = "job_uuid"
        case accountID = "account_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// One message of a conversation: the user's question or the assistant's answer with its citations.
struct MessageRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "message"

    var id: Int64?
    var conversationID: String
    var jobUUID: String
    var role: String
    var content: String
    /// The citations as JSON (`[{"page": 1, "snippet": "…"}]`), empty for a question.
    var citations: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, role, content, citations
        case conversationID = "conversation_id"
        case jobUUID = "job_uuid"
        case createdAt = "created_at"
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The citations, decoded.
    var decodedCitations: [Citation] {
        (try? JSONDecoder().decode([Citation].self, from: Data(citations.utf8))) ?? []
    }
}

/// What accepting a job costs, decided by the `Meter` before the job is stored.
enum Charge: Sendable, Equatable {
    /// Metering is off.
    case nothing
    /// Pages against an allowance: `key` (a client IP or an account) in `period` (a day or a month).
    case allowance(key: String, period: String, limit: Int, cost: Int, description: String)
    /// Credits from a paid account's balance.
    case credits(accountID: String, cost: Int)

    /// Charges `job` against what the store found, `used` of `limit` (the allowance's pages, or the
    /// account's credits), inside the store's transaction: a 402 with both when the cost does not
    /// fit, else the job records what it took, so that a failure gives it back. Every store
    /// decides the same way; each only reads and writes its own rows.
    func apply(to job: inout JobRecord, used: Int, limit: Int) throws {
        switch self {
        case .nothing:
            return
        case .allowance(let key, let period, _, let cost, let description):
            if used + cost > limit {
                throw APIError(.paymentRequired, "\(description) page allowance reached", used: used, cap: limit)
            }
            job.charged = cost
            job.chargeKey = key
            job.chargePeriod = period
        case .credits(_, let cost):
            if used + cost > limit {
                throw APIError(.paymentRequired, "not enough credits: this file needs \(cost)", used: used, cap: limit)
            }
            job.charged = cost
        }
    }
}

/// What a restart found and put right.
struct RecoveryReport: Sendable, Equatable {
    /// Jobs left `processing` by a kill or crash, back in the queue.
    var requeued = 0
    /// Jobs that were in hand at too many crashes in a row: failed, and their charge given back.
    var failed = 0
}

/// Which node claims jobs, and for how long a claim holds without renewal.
struct QueueClaim: Sendable {
    var node: String
    var lease: TimeInterval

    /// One workstation's claims (tests, and a store used without a server).
    static let local = QueueClaim(node: "local", lease: 60)

    /// The time a claim or renewal made at `now` runs out.
    func expiry(from now: Date) -> Date { now.addingTimeInterval(lease) }
}
