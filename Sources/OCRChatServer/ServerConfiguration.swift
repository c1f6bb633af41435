import Foundation
import OCRChatConversion
import OCRChatModel
import OCRChatTranslate

/// Everything `ocrchat serve` can be told: flags, environment, a config file, then these defaults,
/// which serve a single workstation without any configuration.
public struct ServerConfiguration: Sendable, Codable, Equatable {
    /// Address to listen on; loopback unless the operator opens it to the office network.
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// The data folder: the SQLite database, uploads in flight and results. The only state.
    public var dataDirectory: String = "data"
    /// A PostgreSQL database (`postgres://user@host/db`) that several nodes share for accounts,
    /// jobs and files; nil keeps everything in SQLite in the data folder (one workstation).
    public var database: String?
    /// A folder every node mounts (NFS, SMB, …) where the files of jobs are kept instead of in
    /// PostgreSQL, for very large uploads; nil keeps them in the database. Only with `database`.
    public var sharedFolder: String?
    /// This server's name among the nodes, shown in `/healthz` and in each job it reads (default:
    /// the host name).
    public var node: String?
    /// How long a node's claim on a job holds without being renewed (it renews every third of
    /// it); past it, any node gives the job to another.
    public var leaseSeconds: Double = 60
    /// How long one call to the shared PostgreSQL may take before the request gets a 503 (an
    /// outage is said within this; a very busy database may need longer).
    public var databaseTimeoutSeconds: Double = 10
    /// Largest upload accepted, in MiB.
    public var maxUploadMiB: Int = 512
    /// Files of at most this many pages are recognised within the POST.
    public var inlinePageLimit: Int = 5
    /// Most jobs waiting in the queue; past it an upload is refused with a 503 and `Retry-After`
    /// rather than stored without bound.
    public var maxQueuedJobs: Int = 1_000
    /// Background job runners (each job's pages are spread over the engine pool anyway).
    public var jobRunners: Int = 1
    /// How long finished results are kept before they are purged, in hours.
    public var retentionHours: Double = 24 * 7
    /// Most uploads received or recognised at once; past it a POST is a 503 with `Retry-After`
    /// before its body is read (inline jobs hold a request each, so this bounds them).
    public var maxConcurrentUploads: Int = 64
    /// Of those, most at once from one anonymous caller's address, and for one account (0: no
    /// ceiling but the server's), so that one client cannot take every slot.
    public var maxUploadsPerAddress: Int = 8
    public var maxUploadsPerAccount: Int = 16
    /// An upload body must arrive within this many seconds (0: no deadline)…
    public var maxUploadSeconds: Int = 900
    /// …and, after its first `uploadGraceSeconds`, at this many KiB a second on average since it
    /// began (0: no floor), so that a body sent a byte at a time, which the idle timer never sees
    /// as idle, does not hold a slot. Below either, the connection is closed with a 408.
    public var minUploadKiBPerSecond: Double = 16
    public var uploadGraceSeconds: Int = 10
    /// A connection that sends nothing for this long (between requests, or in the middle of an
    /// upload) is closed, so that slow or stalled clients cannot hold connections for ever.
    public var idleTimeoutSeconds: Int = 60
    /// On SIGTERM, how long requests in flight may take to finish before they are cut (background
    /// jobs are requeued at once); the process then exits 0.
    public var shutdownGraceSeconds: Int = 30
    /// A job in hand at this many crashes of the server fails (its charge given back) instead of
    /// being redone again, so that one file cannot keep the server in a crash loop.
    public var maxJobAttempts: Int = 3
    public var metering = MeteringConfiguration()
    /// Questions about finished jobs, and the optional local model that answers them.
    public var chat = ChatConfiguration()
    /// The operator's single-user mode: the web page signs in as a local account without a token
    /// being typed. Only allowed on a loopback address (see `SingleUserAccount`).
    public var singleUser = false
    /// A local OpenAI-compatible vision model endpoint for the vlm tier, and its model name.
    public var vlmURL: String?
    public var vlmModel: String?
    /// `GET /metrics`: on, and to whom.
    public var metrics = MetricsConfiguration()
    /// Completion callbacks: off (no hosts) unless the operator lists the hosts that may be called.
    public var callbacks = CallbackConfiguration()

    public init() {}

    /// The node's name: `node`, else the host name.
    public var nodeName: String { node.flatMap { $0.isEmpty ? nil : $0 } ?? ProcessInfo.processInfo.hostName }

    /// The claims this node makes on jobs.
    var queueClaim: QueueClaim { QueueClaim(node: nodeName, lease: max(0.1, leaseSeconds)) }

    /// The shared folder, checked: only beside a PostgreSQL database, and writable from this node;
    /// nil when none is set.
    public func openSharedFolder() throws -> SharedFolder? {
        guard let sharedFolder else { return nil }
        guard let database, PostgresLocation.isURL(database) else {
            throw SharedFolderError("--shared-folder is for several servers sharing a PostgreSQL --database; on SQLite the data folder holds every file")
        }
        return try SharedFolder(path: sharedFolder)
    }

    /// The data folder as a URL, relative paths taken from the working directory.
    public var dataURL: URL { URL(fileURLWithPath: dataDirectory, isDirectory: true).standardizedFileURL }

    enum CodingKeys: String, CodingKey {
        case host, port, metering, chat
        case database, node
        case sharedFolder = "shared_folder"
        case leaseSeconds = "lease_seconds"
        case databaseTimeoutSeconds = "database_timeout_seconds"
        case dataDirectory = "data"
        case maxUploadMiB = "max_upload_mib"
        case inlinePageLimit = "inline_page_limit"
        case jobRunners = "job_runners"
        case maxQueuedJobs = "max_queued_jobs"
        case retentionHours = "retention_hours"
        case singleUser = "single_user"
        case maxConcurrentUploads = "max_concurrent_uploads"
        case maxUploadsPerAddress = "max_uploads_per_address"
        case maxUploadsPerAccount = "max_uploads_per_account"
        case maxUploadSeconds = "max_upload_seconds"
        case minUploadKiBPerSecond = "min_upload_kib_per_second"
        case uploadGraceSeconds = "upload_grace_seconds"
        case idleTimeoutSeconds = "idle_timeout_seconds"
        case shutdownGraceSeconds = "shutdown_grace_seconds"
        case maxJobAttempts = "max_job_attempts"
        case vlmURL = "vlm_url"
        case vlmModel = "vlm_model"
        case metrics, callbacks
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try container.update(&host, forKey: .host)
        try container.update(&port, forKey: .port)
        try container.update(&dataDirectory, forKey: .dataDirectory)
        try container.update(&database, forKey: .database)
        try container.update(&sharedFolder, forKey: .sharedFolder)
        try container.update(&node, forKey: .node)
        try container.update(&leaseSeconds, forKey: .leaseSeconds)
        try container.update(&databaseTimeoutSeconds, forKey: .databaseTimeoutSeconds)
        try container.update(&maxUploadMiB, forKey: .maxUploadMiB)
        try container.update(&inlinePageLimit, forKey: .inlinePageLimit)
        try container.update(&jobRunners, forKey: .jobRunners)
        try container.update(&maxQueuedJobs, forKey: .maxQueuedJobs)
        try container.update(&retentionHours, forKey: .retentionHours)
        try container.update(&maxConcurrentUploads, forKey: .maxConcurrentUploads)
        try container.update(&maxUploadsPerAddress, forKey: .maxUploadsPerAddress)
        try container.update(&maxUploadsPerAccount, forKey: .maxUploadsPerAccount)
        try container.update(&maxUploadSeconds, forKey: .maxUploadSeconds)
        try container.update(&minUploadKiBPerSecond, forKey: .minUploadKiBPerSecond)
        try container.update(&uploadGraceSeconds, forKey: .uploadGraceSeconds)
        try container.update(&idleTimeoutSeconds, forKey: .idleTimeoutSeconds)
        try container.update(&shutdownGraceSeconds, forKey: .shutdownGraceSeconds)
        try container.update(&maxJobAttempts, forKey: .maxJobAttempts)
        try container.update(&metering, forKey: .metering)
        try container.update(&chat, forKey: .chat)
        try container.update(&singleUser, forKey: .singleUser)
        try container.update(&vlmURL, forKey: .vlmURL)
        try container.update(&vlmModel, forKey: .vlmModel)
        try container.update(&metrics, forKey: .metrics)
        try container.update(&callbacks, forKey: .callbacks)
    }
}

/// `GET /metrics` in Prometheus' text format: served to this machine only (a loopback client)
/// unless a token is set, which every client must then send as `Authorization: Bearer TOKEN`.
public struct MetricsConfiguration: Sendable, Codable, Equatable {
    public var enabled = true
    public var token: String?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case enabled, token
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try container.update(&enabled, forKey: .enabled)
        try container.update(&token, forKey: .token)
    }
}

/// Chat about a finished job: limits, and the local model if the operator has one.
public struct ChatConfiguration: Sendable, Codable, Equatable {
    /// Longest question accepted, in characters (a longer one is a 400).
    public var maxMessageCharacters = 4_000
    /// Documents whose search index is kept in memory (least recently asked about goes first).
    public var indexCacheSize = 16
    /// Base URL of a local OpenAI-compatible chat endpoint (`http://127.0.0.1:8081`); nil: no model,
    /// answers are extracted from the text.
    public var llmURL: String?
    /// The model name to ask for at `llmURL`.
    public var llmModel: String?
    /// Longest wait for the model, in seconds, before the extractive answer is given instead.
    public var llmTimeoutSeconds: Double = 60

    public init() {}

    /// Apertium, and for the pairs it lacks this local model when one is configured: the
    /// server's jobs translate with it.
    public var translation: TranslationSettings {
        TranslationSettings(llmURL: llmURL, model: llmModel, answerTimeoutSeconds: llmTimeoutSeconds)
    }

    enum CodingKeys: String, CodingKey {
        case maxMessageCharacters = "max_message_characters"
        case indexCacheSize = "index_cache_size"
        case llmURL = "llm_url"
        case llmModel = "llm_model"
        case llmTimeoutSeconds = "llm_timeout_seconds"
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try container.update(&maxMessageCharacters, forKey: .maxMessageCharacters)
        try container.update(&indexCacheSize, forKey: .indexCacheSize)
        try container.update(&llmURL, forKey: .llmURL)
        try container.update(&llmModel, forKey: .llmModel)
        try container.update(&llmTimeoutSeconds, forKey: .llmTimeoutSeconds)
    }
}

/// Credits and allowances, as the public service meters them. The operator of a private
/// workstation can turn all of it off.
public struct MeteringConfiguration: Sendable, Codable, Equatable {
    public var enabled = true
    /// Credits a page costs on each tier.
    public var cpuPageCost = 1
    public var vlmPageCost = 3
    /// Pages an anonymous caller may use a day, per client IP, and its cap for one file.
    public var anonymousDailyPages = 1_000
    public var anonymousFilePageCap = 500
    /// Pages a free account may use a month, and its cap for one file.
    public var freeMonthlyPages = 10_000
    public var freeFilePageCap = 1_000
    /// A paid account's cap for one file (it spends its credits).
    public var paidFilePageCap = 10_000

    public init() {}

    enum CodingKeys: String, CodingKey {
        case enabled
        case cpuPageCost = "cpu_page_cost"
        case vlmPageCost = "vlm_page_cost"
        case anonymousDailyPages = "anonymous_daily_pages"
        case anonymousFilePageCap = "anonymous_file_page_cap"
        case freeMonthlyPages = "free_monthly_pages"
        case freeFilePageCap = "free_file_page_cap"
        case paidFilePageCap = "paid_file_page_cap"
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try container.update(&enabled, forKey: .enabled)
        try container.update(&cpuPageCost, forKey: .cpuPageCost)
        try container.update(&vlmPageCost, forKey: .vlmPageCost)
        try container.update(&anonymousDailyPages, forKey: .anonymousDailyPages)
        try container.update(&anonymousFilePageCap, forKey: .anonymousFilePageCap)
        try container.update(&freeMonthlyPages, forKey: .freeMonthlyPages)
        try container.update(&freeFilePageCap, forKey: .freeFilePageCap)
        try container.update(&paidFilePageCap, forKey: .paidFilePageCap)
    }

    /// Credits one page costs on `tier`.
    public func pageCost(_ tier: Tier) -> Int {
        tier == .vlm ? vlmPageCost : cpuPageCost
    }
}

extension KeyedDecodingContainer {
    /// Sets `value` to what the file says under `key`, and leaves it (its default) when the file
    /// does not say: a config file names only what it changes.
    func update<T: Decodable>(_ value: inout T, forKey key: Key) throws {
        if let decoded = try decodeIfPresent(T.self, forKey: key) { value = decoded }
    }
}
