import Crypto
import Foundation
import OCRChatAnswers

/// What the command line reaches in a store: accounts and tokens (`ocrchat token`) and the
/// database's health (`ocrchat doctor`, `/metrics`). Every call is awaited: a database on another
/// machine answers in its own time, and a call never blocks one of the cooperative pool's threads.
public protocol AccountStore: Sendable {
    /// Creates an account and returns it with its token, which is shown once and stored only hashed.
    func createAccount(name: String, plan: AccountRecord.Plan, credits: Int) async throws -> (AccountRecord, token: String)
    /// Revokes the accounts that match `nameOrToken` (the token itself, its prefix as listed, or the
    /// account name); returns how many were revoked.
    @discardableResult
    func revokeAccounts(matching nameOrToken: String) async throws -> Int
    /// Every account, oldest first.
    func accounts() async throws -> [AccountRecord]
    /// The live account a token belongs to, or nil for an unknown or revoked token.
    func account(forToken token: String) async throws -> AccountRecord?
    /// The database's own check and how many jobs there are in each status on each tier.
    func health() async throws -> StoreHealth
    /// Lets go of the database (connections, the pool's background work); the store is not used after.
    func close() async
}

/// The server's persistence: accounts, jobs and their charges, conversations. One implementation
/// per database (`SQLiteStore` in the data folder, `PostgresStore` shared by several nodes), with
/// the same semantics: every change that must be exact under concurrent requests (claiming a job,
/// charging an allowance) happens inside one transaction.
protocol Store: AccountStore {
    /// Stores a new job and charges for it in one transaction, so that concurrent uploads never
    /// spend the same allowance twice; throws a 402 (and stores nothing) when it does not fit, and
    /// `StoreConflict` when the caller already has a job with its idempotency key. A
    /// `callbackURL` is stored with it, to be called when the job ends.
    func insert(_ job: JobRecord, charge: Charge, callbackURL: String?) async throws -> JobRecord
    /// The job a caller already made with `key` as its `Idempotency-Key`, or nil.
    func job(idempotencyKey key: String, owner: String) async throws -> JobRecord?
    /// The job, or nil.
    func job(_ uuid: String) async throws -> JobRecord?
    /// Takes the next pending job for processing, atomically (two runners, or two nodes, never get
    /// the same one), paid accounts' jobs first (paid plans add priority), then fairly: the job
    /// whose owner (an account, or an anonymous caller's address) has the fewest jobs running now,
    /// the oldest among equals. One caller's hundred queued files then do not keep another
    /// caller's single file waiting behind them all. The claim is `claim.node`'s, with a new
    /// epoch, until `claim.lease` from now unless renewed.
    func claimNextPending(_ claim: QueueClaim) async throws -> JobRecord?
    /// Extends the claim of epoch `epoch` on the job by `claim.lease` from now; false when the
    /// claim is lost (it ran out and the job went back to the queue or to another node, or the
    /// job was deleted): the work on it is then abandoned.
    func renewLease(_ uuid: String, epoch: Int, _ claim: QueueClaim) async throws -> Bool
    /// Records pages finished so far, while the claim of `epoch` holds.
    func updateProgress(_ uuid: String, epoch: Int, pagesDone: Int) async throws
    /// Marks the job done with its result file, and forgets its upload and password, if the claim
    /// of `epoch` still holds. Returns false otherwise (its owner deleted it while it was read, or
    /// the claim was lost to another node, which writes the result instead).
    @discardableResult
    func finish(_ uuid: String, epoch: Int, resultPath: String, pageCount: Int) async throws -> Bool
    /// Deletes a job at its owner's request, with its conversations and their messages, in one
    /// transaction; a job still waiting in the queue gives back what it was charged, since nothing
    /// of it was read. Returns the row as it was, or nil when it is not there or is not `owner`'s.
    func deleteJob(_ uuid: String, owner: String) async throws -> JobRecord?
    /// Marks the job failed with a reason and gives back what it was charged (a failed job costs
    /// nothing), if the claim of `epoch` still holds: a node that lost its claim refunds nothing.
    func fail(_ uuid: String, epoch: Int, reason: String) async throws
    /// Puts a job that was being processed back in the queue at a graceful stop, if the claim of
    /// `epoch` still holds; the attempt is not counted, since only crashes count towards giving up.
    func requeue(_ uuid: String, epoch: Int) async throws
    /// Jobs waiting to be processed.
    func pendingCount() async throws -> Int
    /// Finished jobs older than `date`, for purging.
    func jobsFinished(before date: Date) async throws -> [JobRecord]
    /// Removes a job's row (its conversations go with it).
    func delete(_ uuid: String) async throws
    /// Pages used by `key` in `period` (for tests and the account page).
    func usage(key: String, period: String) async throws -> Int
    /// An account's jobs, newest first, at most `limit`.
    func jobs(ofAccount accountID: String, limit: Int) async throws -> [JobRecord]
    /// After a kill or a crash, before any request is served: every job `node` left `processing`
    /// (on SQLite, where this node is the only one: every job left so) goes back to `pending` (its
    /// charge stays: it was paid once and will be done once), except a job that was in hand at
    /// `maxAttempts` crashes, which fails with its charge given back so that one poison file
    /// cannot keep the server in a crash loop.
    func recoverInterruptedJobs(maxAttempts: Int, node: String) async throws -> RecoveryReport
    /// The same for jobs whose claim ran out (their node died or lost the database): any node
    /// returns them to the queue, or fails and refunds those that have had `maxAttempts` claims.
    func returnExpiredLeases(maxAttempts: Int) async throws -> RecoveryReport
    /// Calls `newJob` whenever any node queues a job, until the task is cancelled (PostgreSQL's
    /// LISTEN/NOTIFY, on a connection of its own that reconnects); returns at once where there is
    /// no such thing (SQLite: the queue's poll is the only wake-up).
    func listenForNewJobs(_ newJob: @escaping @Sendable () -> Void) async
    /// The jobs whose files are still needed: uploads of `live` ones (waiting or in hand), results of `done` ones.
    func jobsKeepingFiles() async throws -> (live: Set<String>, done: Set<String>)
    /// At start: a password an earlier version stored in clear is sealed when its job still
    /// waits, and dropped when the job has ended. Returns how many were sealed.
    func sealClearPasswords(with vault: PasswordVault) async throws -> Int
    /// Keeps a copy of a job's file where every node reads it (PostgreSQL: chunked bytea rows,
    /// removed with the job); nothing on SQLite, where the data folder holds the only copy.
    func saveFile(job uuid: String, name: String, contentsOf url: URL) async throws
    /// Writes the job's file `name` to `url`; false when the store keeps no such file.
    func loadFile(job uuid: String, name: String, to url: URL) async throws -> Bool
    /// The folder every node mounts where those copies' bytes are kept, if one was given.
    var sharedFolder: SharedFolder? { get }
    /// The job's completion callback and its tries, or nil when the upload asked for none.
    func callback(of uuid: String) async throws -> CallbackRecord?
    /// Takes the callback of an ended job that is due soonest-finished first, atomically (two
    /// nodes never send the same one at once): it is held until `holdUntil`, and returned with
    /// its job; nil when none is due at `now`.
    func claimDueCallback(now: Date, holdUntil: Date) async throws -> (CallbackRecord, JobRecord)?
    /// Writes a callback's tries, next due time and whether it is over (nothing when its job was deleted).
    func recordCallbackAttempt(_ callback: CallbackRecord) async throws
    /// Makes sure deleted rows do not live on in the database's log (SQLite's WAL); a no-op where
    /// the database has no such log of its own to empty.
    func truncateLog() async throws

    /// The conversation `id` if it is about `jobUUID` and `accountID` started it; nil otherwise
    /// (unknown, another job's, or someone else's: a conversation belongs to whoever started it,
    /// whoever owns the job, so that on an anonymous or shared job one account never reads another's).
    func conversation(_ id: String, job jobUUID: String, accountID: String) async throws -> ConversationRecord?
    /// The messages of a conversation, oldest first.
    func messages(ofConversation id: String) async throws -> [MessageRecord]
    /// The messages of `accountID`'s own conversations on a job, oldest first (conversations
    /// interleaved as they happened); other accounts' conversations on the same job are not shown.
    func messages(ofJob uuid: String, accountID: String) async throws -> [MessageRecord]
    /// Stores a question and its answer in one transaction, creating the conversation when
    /// `conversationID` is nil; returns the conversation's id.
    func record(question: String, answer: String, citations: [Citation], job: JobRecord, accountID: String?,
                conversationID: String?, now: Date) async throws -> String
}

/// The caller already has a job with this idempotency key (two uploads with one key at once: the
/// other stored its job first, and this one's insert and charge were rolled back).
struct StoreConflict: Error {}

/// What `ocrchat doctor` and `/metrics` read from the database.
public struct StoreHealth: Sendable, Equatable {
    /// `ok`, or the first problem the database's own check found.
    public var integrity: String
    /// Jobs per (status, tier), e.g. `["done": ["cpu": 3]]`.
    public var jobs: [String: [String: Int]]
}

/// API tokens: made here, stored only as their hash.
enum AccountToken {
    /// A token with 256 random bits, URL-safe.
    static func new() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "ocr_" + base64
    }

    /// SHA-256 of the token, hex: what is stored and looked up.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A new account for `name` with a new token.
    static func account(name: String, plan: AccountRecord.Plan, credits: Int) -> (AccountRecord, token: String) {
        let token = new()
        let account = AccountRecord(id: UUID().uuidString.lowercased(), name: name, plan: plan,
                                    tokenHash: hash(token), tokenPrefix: String(token.prefix(10)),
                                    creditsTotal: credits, creditsUsed: 0, createdAt: Date(), revokedAt: nil)
        return (account, token)
    }

    /// The account found by the token's hash, if the hash found matches again in constant time.
    ///
    /// The lookup is by the token's SHA-256, so what the index compares is a hash the caller cannot
    /// steer byte by byte; the hash found is then compared again in constant time, so that no
    /// step of the check takes longer the closer a guess comes.
    static func verified(_ account: AccountRecord?, hash: String) -> AccountRecord? {
        guard let account, ConstantTime.equals(account.tokenHash, hash) else { return nil }
        return account
    }
}

extension Store {
    /// A job without a completion callback.
    func insert(_ job: JobRecord, charge: Charge) async throws -> JobRecord {
        try await insert(job, charge: charge, callbackURL: nil)
    }

    /// Removes what no job needs any more: uploads of jobs that are not waiting or in hand (and
    /// half-received uploads, which have no job at all), and result files of jobs that are not
    /// done. Only safe when no request is in flight (at start), or for files older than `olderThan`.
    func removeOrphanFiles(in folders: DataFolders, olderThan cutoff: Date? = nil) async throws -> Int {
        let (live, done) = try await jobsKeepingFiles()
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
        // Other nodes are at work in the shared folder at any time: only what a node left a day ago
        // (copied in, then never recorded) goes.
        if let sharedFolder {
            removed += try await sharedFolder.sweep(keeping: live.union(done), writtenBefore: Date().addingTimeInterval(-86_400))
        }
        return removed
    }
}
