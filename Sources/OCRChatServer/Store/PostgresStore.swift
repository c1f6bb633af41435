import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The server's persistence when several nodes share one PostgreSQL database: the same tables and
/// the same semantics as `SQLiteStore`, migrated on open (one node at a time, under an advisory lock).
///
/// Exactness across nodes comes from PostgreSQL's row locks: a charge reads and updates its
/// balance row `FOR UPDATE` inside one transaction, and a claim takes its job `FOR UPDATE SKIP
/// LOCKED`, so that two nodes never take the same job and never wait on each other's claim.
public final class PostgresStore: Store {
    let client: PostgresClient
    let location: PostgresLocation
    let logger: Logger
    /// The pool's background work (connecting, keeping alive, closing idle connections). The store
    /// owns it rather than a service group, so that `ocrchat token` and the tests, which run no
    /// group, use the store as the server does; `close()` ends it.
    private let running: Task<Void, Never>
    /// How long a call may wait for the database before it fails as unavailable (the pool itself
    /// would keep a request waiting a minute while it cannot connect).
    let answerWithin: Duration
    /// Where the bytes of jobs' files go when every node mounts one folder; nil keeps them in the
    /// database as chunked bytea.
    let sharedFolder: SharedFolder?

    /// Connects to the database `url` names (`postgres://user:password@host:port/database`,
    /// `?sslmode=disable|prefer|require`) and brings its schema up to date.
    public init(url: String, maximumConnections: Int = 10, answerWithin: Duration = .seconds(10),
                sharedFolder: SharedFolder? = nil, logger: Logger) async throws {
        location = try PostgresLocation(url)
        // One plain connection first: a database that refuses or is not there is said at once, with
        // its own reason, before a pool exists that would retry until the deadline and then take
        // its time to wind down.
        try await Self.probe(location, within: answerWithin, logger: logger)
        self.sharedFolder = sharedFolder
        let configuration = location.clientConfiguration(maximumConnections: maximumConnections)
        // The pool logs each failed connection attempt; an outage is said once by the store's callers.
        var background = logger
        background.logLevel = max(logger.logLevel, .error)
        client = PostgresClient(configuration: configuration, backgroundLogger: background)
        self.logger = logger
        self.answerWithin = answerWithin
        let client = self.client
        running = Task { await client.run() }
        do {
            try await migrate()
        } catch {
            await close()
            throw error
        }
    }

    /// Connects once to `location` and hangs up, within `limit` and with `bounded`'s errors: a
    /// database that is away is `StoreUnavailable`, one that answered and refused (a wrong
    /// password, a database that does not exist) throws its own error.
    private static func probe(_ location: PostgresLocation, within limit: Duration, logger: Logger) async throws {
        let configuration = try location.connectionConfiguration()
        try await bounded(within: limit) {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try? await connection.close()
        }
    }

    public func close() async {
        running.cancel()
        await running.value
    }

    /// `body` inside one transaction on one connection: committed when it returns, rolled back
    /// when it throws, and its own error thrown as it is (a 402 stays a 402).
    func transaction<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        try await bounded { [client, logger] in
            try await client.withConnection { connection in
                try await connection.query("BEGIN", logger: logger)
                do {
                    let result = try await body(connection)
                    try await connection.query("COMMIT", logger: logger)
                    return result
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        }
    }

    /// The rows of one query, all read.
    @discardableResult
    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await bounded { [client, logger] in
            try await client.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
        }
    }

    /// `body`'s answer within `answerWithin`; else, or when the database cannot be reached or
    /// went away, `StoreUnavailable`. What the database refused for a reason of the request's own
    /// (a constraint, a 402 from inside a transaction) is thrown as it is.
    func bounded<Result: Sendable>(_ body: @escaping @Sendable () async throws -> Result) async throws -> Result {
        try await Self.bounded(within: answerWithin, body)
    }

    /// `body`'s answer within `limit`, its errors as `bounded(_:)` says.
    static func bounded<Result: Sendable>(within limit: Duration, _ body: @escaping @Sendable () async throws -> Result) async throws -> Result {
        // Not cancelled with its caller: a write begun is finished (the requeue of a job at a
        // graceful stop runs in a cancelled task), and the deadline bounds it all the same.
        let call = Task {
            try await withThrowingTaskGroup(of: Result.self) { group in
                group.addTask { try await body() }
                group.addTask {
                    try await Task.sleep(for: limit)
                    throw StoreUnavailable(reason: "no answer within \(limit)")
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        }
        do {
            return try await call.value
        } catch let error as PSQLError where Self.isOutage(error) {
            throw StoreUnavailable(reason: "\(error.code)\(error.serverInfo?[.message].map { ": " + $0 } ?? "")")
        } catch let error as PostgresTransactionError {
            throw StoreUnavailable(reason: "\(error)")
        } catch let error where String(reflecting: type(of: error)).contains("ConnectionPoolError") {
            throw StoreUnavailable(reason: "\(error)")
        }
    }

    /// Whether the error says the database is away (down, restarting, unreachable) rather than
    /// refusing this statement: every client-side failure, and the server's classes 08 (connection),
    /// 53 (resources) and 57 (operator intervention: shutdown, restart).
    static func isOutage(_ error: PSQLError) -> Bool {
        guard error.code == .server else { return true }
        let state = error.serverInfo?[.sqlState] ?? ""
        return ["08", "53", "57"].contains(String(state.prefix(2)))
    }

    /// The channel a queued job is announced on.
    static let newJobChannel = "ocrchat_job"

    func listenForNewJobs(_ newJob: @escaping @Sendable () -> Void) async {
        var connectionID = 0
        while !Task.isCancelled {
            connectionID += 1
            do {
                // A connection of its own, not the pool's: LISTEN holds it for as long as the node runs.
                let connection = try await PostgresConnection.connect(configuration: try location.connectionConfiguration(),
                                                                      id: connectionID, logger: logger)
                do {
                    try await connection.listen(on: Self.newJobChannel) { notifications in
                        newJob()  // whatever was queued while this node was not listening
                        for try await _ in notifications { newJob() }
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isCancelled { return }
                logger.warning("job notifications: \(error); listening again in 2 s (the queue is polled meanwhile)")
            }
            try? await Task.sleep(for: .seconds(2))
        }
    }

    /// Released migrations are never edited; a change of schema is a new entry at the end.
    static let migrations: [(name: String, sql: [String])] = [
        ("v1: accounts, jobs, usage, conversations", [
            """
            CREATE TABLE account (
                id text PRIMARY KEY, name text NOT NULL, plan text NOT NULL, token_hash text NOT NULL UNIQUE,
                token_prefix text NOT NULL, credits_total bigint NOT NULL DEFAULT 0, credits_used bigint NOT NULL DEFAULT 0,
                created_at timestamptz NOT NULL, revoked_at timestamptz)
            """,
            """
            CREATE TABLE job (
                uuid text PRIMARY KEY, account_id text, client_ip text NOT NULL, status text NOT NULL, tier text NOT NULL,
                language text NOT NULL, tool text, translate_to text, password text, file_name text NOT NULL,
                upload_path text, result_path text, page_count bigint NOT NULL, pages_done bigint NOT NULL DEFAULT 0,
                error text, charged bigint NOT NULL DEFAULT 0, charge_key text, charge_period text,
                attempts bigint NOT NULL DEFAULT 0, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
                finished_at timestamptz, idempotency_key text, started_at timestamptz)
            """,
            "CREATE INDEX job_status ON job(status)",
            "CREATE INDEX job_account ON job(account_id)",
            // One job per key and caller (an account, or an anonymous caller's address).
            """
            CREATE UNIQUE INDEX job_idempotency ON job((COALESCE(account_id, 'ip:' || client_ip)), idempotency_key)
            WHERE idempotency_key IS NOT NULL
            """,
            "CREATE TABLE usage (key text NOT NULL, period text NOT NULL, pages bigint NOT NULL, PRIMARY KEY (key, period))",
            """
            CREATE TABLE conversation (
                id text PRIMARY KEY, job_uuid text NOT NULL REFERENCES job(uuid) ON DELETE CASCADE, account_id text,
                created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)
            """,
            "CREATE INDEX conversation_job ON conversation(job_uuid)",
            """
            CREATE TABLE message (
                id bigserial PRIMARY KEY,
                conversation_id text NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
                job_uuid text NOT NULL, role text NOT NULL, content text NOT NULL, citations text NOT NULL DEFAULT '[]',
                created_at timestamptz NOT NULL)
            """,
            "CREATE INDEX message_conversation ON message(conversation_id)",
            "CREATE INDEX message_job ON message(job_uuid)",
        ]),
        ("v2: claims with a node, an epoch and a lease", [
            "ALTER TABLE job ADD COLUMN node text, ADD COLUMN epoch bigint NOT NULL DEFAULT 0, ADD COLUMN lease_expires_at timestamptz",
            "CREATE INDEX job_lease ON job(lease_expires_at) WHERE status = 'processing'",
        ]),
        ("v3: job files as chunked bytea", [
            """
            CREATE TABLE job_file (
                job_uuid text NOT NULL REFERENCES job(uuid) ON DELETE CASCADE, name text NOT NULL, chunk integer NOT NULL,
                bytes bytea NOT NULL, PRIMARY KEY (job_uuid, name, chunk))
            """,
        ]),
        ("v4: completion callbacks, pages and mode", [
            "ALTER TABLE job ADD COLUMN page_selection text, ADD COLUMN text_layer text",
            """
            CREATE TABLE job_callback (
                job_uuid text PRIMARY KEY REFERENCES job(uuid) ON DELETE CASCADE, url text NOT NULL,
                attempts text NOT NULL DEFAULT '[]', due_at timestamptz, closed boolean NOT NULL DEFAULT false)
            """,
            "CREATE INDEX job_callback_open ON job_callback(due_at) WHERE NOT closed",
        ]),
    ]

    /// Applies the migrations this database has not had, in one transaction, one node at a time.
    private func migrate() async throws {
        try await transaction { [self] connection in
            // Nodes starting together: the first migrates, the others wait here and then find it done.
            try await connection.query("SELECT pg_advisory_xact_lock(7306238)", logger: logger)
            try await connection.query("CREATE TABLE IF NOT EXISTS ocrchat_migration (name text PRIMARY KEY, applied_at timestamptz NOT NULL)",
                                       logger: logger)
            var applied = Set<String>()
            for try await name in try await connection.query("SELECT name FROM ocrchat_migration", logger: logger).decode(String.self) {
                applied.insert(name)
            }
            for migration in Self.migrations where !applied.contains(migration.name) {
                for statement in migration.sql {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO ocrchat_migration (name, applied_at) VALUES (\(migration.name), \(Date()))",
                                           logger: logger)
            }
        }
    }
}

/// PostgreSQL cannot be reached or went away: the HTTP layer answers 503 with a time to come back.
public struct StoreUnavailable: Error, CustomStringConvertible {
    let reason: String

    public var description: String { "the database is unavailable (\(reason))" }
}

/// Where a PostgreSQL database is, from a `postgres://` URL as libpq reads one.
public struct PostgresLocation: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: String

    /// Whether `text` names a PostgreSQL database (rather than a data folder).
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(_ url: String) throws {
        guard Self.isURL(url), let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw PostgresLocationError(url: url, reason: "expected postgres://user[:password]@host[:port]/database")
        }
        self.host = host
        port = components.port ?? 5432
        user = components.user.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        password = components.password.flatMap { $0.removingPercentEncoding }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? user : (path.removingPercentEncoding ?? path)
        sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        guard ["disable", "prefer", "require"].contains(sslMode) else {
            throw PostgresLocationError(url: url, reason: "sslmode must be disable, prefer or require")
        }
    }

    /// The URL with its password left out, for logs and `/healthz`.
    public var redacted: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// One connection's configuration (the notification listener's).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS = switch sslMode {
        case "disable": .disable
        case "require": .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        default: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password,
                                                             database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    func clientConfiguration(maximumConnections: Int) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = switch sslMode {
        case "disable": .disable
        case "require": .require(.makeClientConfiguration())
        default: .prefer(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: user, password: password,
                                                         database: database, tls: tls)
        configuration.options.maximumConnections = max(1, maximumConnections)
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }
}

/// A `--database` value that is not a PostgreSQL URL this server can use.
public struct PostgresLocationError: Error, CustomStringConvertible {
    public let url: String
    public let reason: String

    public var description: String { "--database: \(reason)" }
}
