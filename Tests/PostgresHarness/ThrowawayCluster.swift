import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL 15 cluster for one test process: made with `initdb` in a temporary folder,
/// started with `pg_ctl` on a free loopback port, stopped and removed when the process exits.
///
/// PostgreSQL refuses to run as root, and CI runs the tests as root: the cluster's programs then
/// run as the `postgres` user (Debian's package makes it) through `runuser`. Each test takes a
/// database of its own (`freshDatabase()`), so tests run side by side as they do on SQLite.
///
/// The programs are awaited, not waited for: the actor would otherwise hold a thread of the
/// cooperative pool, which the tests' loopback servers need, for the seconds `initdb` takes.
public actor ThrowawayCluster {
    /// The cluster the tests of this process share, started on first use.
    public static let shared = ThrowawayCluster()

    /// A cluster of one's own, for a test that stops and starts it (an outage).
    public init() {}

    /// The cluster being made, or made: one `Task`, so that callers arriving while `initdb` runs
    /// (the actor is reentrant across its awaits) share it.
    private var starting: Task<(port: Int, folder: URL), Error>?
    private var started: (port: Int, folder: URL)?
    private var databases = 0

    /// The port of the running cluster (starting it if needed).
    public func port() async throws -> Int {
        try await start().port
    }

    /// A new, empty database on the cluster, as a `postgres://` URL for `--database`.
    public func freshDatabase() async throws -> String {
        let (port, _) = try await start()
        databases += 1
        let name = "ocrchat_test_\(getpid())_\(databases)"
        try await Self.psql(port: port, database: "postgres", ["-q", "-c", "CREATE DATABASE \(name)"])
        return "postgres://\(Self.user)@127.0.0.1:\(port)/\(name)?sslmode=disable"
    }

    /// What psql prints for `sql` on `database` (a URL `freshDatabase()` gave): unaligned, a row a line, trimmed.
    public func query(_ sql: String, on database: String) async throws -> String {
        let (port, _) = try await start()
        return try await Self.psql(port: port, database: URL(string: database)?.lastPathComponent ?? "", ["-At", "-c", sql])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// psql on the cluster's database `database` as its user, stopping at the first error.
    @discardableResult
    private static func psql(port: Int, database: String, _ arguments: [String]) async throws -> String {
        try await run(tool("psql"), ["-h", "127.0.0.1", "-p", String(port), "-U", user, "-d", database, "-v", "ON_ERROR_STOP=1"]
                      + arguments, asClusterOwner: false)
    }

    /// Stops the cluster with a fast shutdown (its connections are cut), as an outage does.
    public func stop() async throws {
        guard let (_, folder) = started else { return }
        try await Self.run(Self.tool("pg_ctl"), ["-D", folder.appendingPathComponent("data").path, "-m", "fast", "-w", "stop"],
                     asClusterOwner: true)
    }

    /// Starts the stopped cluster again on the same port, with its databases as they were.
    public func restart() async throws {
        guard let (port, folder) = started else { return }
        try await Self.startServer(folder: folder, port: port)
    }

    static let user = "ocrchat"

    private func start() async throws -> (port: Int, folder: URL) {
        if let started { return started }
        let task = starting ?? Task { try await Self.make() }
        starting = task
        do {
            let made = try await task.value
            started = made
            return made
        } catch {
            starting = nil  // the next test tries again, as it did before
            throw error
        }
    }

    /// Makes and starts a cluster in a new temporary folder.
    private static func make() async throws -> (port: Int, folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-pg-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if geteuid() == 0 {
            // The cluster's owner must be able to write its folder, and nobody else.
            try await run(URL(fileURLWithPath: "/usr/bin/chown"), ["postgres:postgres", folder.path], asClusterOwner: false)
        }
        try await run(tool("initdb"), ["-D", folder.appendingPathComponent("data").path, "-U", Self.user, "--auth=trust",
                                           "-E", "UTF8", "--locale=C", "--no-sync"], asClusterOwner: true)
        let port = try freePort()
        try await startServer(folder: folder, port: port)
        registerRemoval(folder)
        return (port, folder)
    }

    /// Starts `postgres` itself, not through `pg_ctl start`: a child that outlives its parent
    /// (pg_ctl's daemon) keeps the wait for pg_ctl's end from returning. The server is then
    /// waited for with `pg_isready`.
    private static func startServer(folder: URL, port: Int) async throws {
        let server = Process()
        let arguments = ["-D", folder.appendingPathComponent("data").path, "-p", String(port), "-k", folder.path,
                         "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=400", "-c", "fsync=off",
                         "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        if geteuid() == 0 {
            server.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            server.arguments = ["-u", "postgres", "--", tool("postgres").path] + arguments
        } else {
            server.executableURL = tool("postgres")
            server.arguments = arguments
        }
        let log = folder.appendingPathComponent("server.log")
        if !FileManager.default.fileExists(atPath: log.path) { FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        server.standardOutput = handle
        server.standardError = handle
        server.standardInput = FileHandle.nullDevice
        try server.run()
        let deadline = Date().addingTimeInterval(60)
        while (try? await run(tool("pg_isready"), ["-q", "-h", "127.0.0.1", "-p", String(port)], asClusterOwner: false)) == nil {
            guard server.isRunning, Date() < deadline else {
                throw ClusterError("PostgreSQL did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// A PostgreSQL program: Debian's 15, else whatever the PATH has.
    static func tool(_ name: String) -> URL {
        let debian = URL(fileURLWithPath: "/usr/lib/postgresql/15/bin/\(name)")
        if FileManager.default.isExecutableFile(atPath: debian.path) { return debian }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return debian
    }

    /// Runs a program to its end; throws with what it wrote when it fails.
    @discardableResult
    static func run(_ executable: URL, _ arguments: [String], asClusterOwner: Bool) async throws -> String {
        let process = Process()
        if asClusterOwner && geteuid() == 0 {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", "postgres", "--", executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-pg-out-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Looked at every 10 ms: no thread waits while the program works.
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        try handle.close()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw ClusterError("\(executable.lastPathComponent) \(arguments.joined(separator: " ")) failed: \(text)")
        }
        return text
    }

    /// A loopback port nothing listens on now (the kernel's pick for a socket bound to port 0).
    public static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw ClusterError("socket() failed") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(socketFD, pointer, length) == 0 else { return -1 }
                return getsockname(socketFD, pointer, &length)
            }
        }
        guard bound == 0 else { throw ClusterError("bind() to a free loopback port failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// At exit: the cluster stopped (immediately: its data is thrown away) and its folder removed,
    /// by `system`, which needs nothing of Foundation's while the process is ending.
    private static func registerRemoval(_ folder: URL) {
        let owner = geteuid() == 0 ? "/usr/sbin/runuser -u postgres -- " : ""
        removalsLock.lock()
        defer { removalsLock.unlock() }
        clusterRemovals.append("\(owner)'\(tool("pg_ctl").path)' -D '\(folder.path)/data' -m immediate -w stop >/dev/null 2>&1; "
            + "rm -rf '\(folder.path)'")
        if clusterRemovals.count == 1 {
            atexit {
                for command in clusterRemovals { _ = system(command) }
            }
        }
    }
}

/// What the exit handler runs (a C exit handler captures nothing).
nonisolated(unsafe) private var clusterRemovals: [String] = []
private let removalsLock = NSLock()

/// The cluster could not be made, started or used.
public struct ClusterError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
