import ArgumentParser
import Foundation
import Hummingbird
import Logging
import OCRChatConversion
import OCRChatEngine
import OCRChatServer
import OCRChatWorker

/// `ocrchat serve`: the ocr.chat-compatible HTTP API on this machine.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the ocr.chat-compatible HTTP server.",
        discussion: """
            Settings come from these flags, then the environment (OCRCHAT_HOST, OCRCHAT_PORT, \
            OCRCHAT_DATA, OCRCHAT_DATABASE, OCRCHAT_SHARED_FOLDER, OCRCHAT_NODE, OCRCHAT_METERING=on|off, OCRCHAT_CALLBACK_HOSTS, \
            OCRCHAT_CALLBACK_SECRET, OCRCHAT_CONFIG), then a JSON config file \
            (--config, or ocrchat.json in the data folder), then defaults that serve one workstation: \
            127.0.0.1:8080, data in ./data. Existing ocr.chat clients work by pointing their base \
            URL at http://HOST:PORT.
            """
    )

    @Option(help: "Address to listen on (default 127.0.0.1; 0.0.0.0 opens it to the network).")
    var host: String?

    @Option(help: "Port to listen on (default 8080).")
    var port: Int?

    @Option(help: "Data folder: database, uploads in flight, results (default ./data).")
    var data: String?

    @Option(help: """
        A PostgreSQL database several servers share (postgres://user[:password]@host[:port]/db, \
        ?sslmode=disable|prefer|require); default: SQLite in the data folder.
        """)
    var database: String?

    @Option(help: """
        A folder every server sharing the database mounts, where jobs' files are kept instead of in \
        PostgreSQL (for very large files; default: in the database).
        """)
    var sharedFolder: String?

    @Option(help: "This server's name among several sharing a database, shown in /healthz and each job (default: the host name).")
    var node: String?

    @Option(help: "JSON config file (default: ocrchat.json in the data folder, if present).")
    var config: String?

    @Option(help: "Metering of pages and credits: on or off (off for a private workstation).")
    var metering: Switch?

    @Option(help: "Hours finished results are kept before they are purged (default 168).")
    var retentionHours: Double?

    @Option(help: "Seconds an upload's body may take to arrive in all (default 900; 0: no deadline).")
    var maxUploadSeconds: Int?

    @Option(name: .customLong("min-upload-kib-per-second"),
            help: "Slowest an upload's body may arrive after its grace period, in KiB/s on average (default 16; 0: no floor).")
    var minUploadKiBPerSecond: Double?

    @Option(help: "Seconds an upload's body may arrive at any pace before the floor applies (default 10).")
    var uploadGraceSeconds: Int?

    @Option(help: "Uploads at once from one anonymous address (default 8; 0: only the server's limit).")
    var maxUploadsPerAddress: Int?

    @Option(help: "Uploads at once for one account (default 16; 0: only the server's limit).")
    var maxUploadsPerAccount: Int?

    @Option(help: ArgumentHelp(
        "Hosts an upload's callback_url may name, comma-separated (name, or name:port for one port); default: none, and no callbacks.",
        valueName: "hosts"))
    var callbackHosts: String?

    @Option(help: "Key of the HMAC-SHA256 signature each callback carries in X-OCRChat-Signature (or OCRCHAT_CALLBACK_SECRET).")
    var callbackSecret: String?

    @OptionGroup var localModel: LocalModelOptions

    @Flag(help: "Single-user mode: the web page signs in as a local account without a token (loopback only).")
    var singleUser = false

    @Option(help: """
        Where documents are read: process (default: in supervised worker processes, --jobs of them, \
        so that a decoder crash on a hostile file costs one worker, not the server) or none (in \
        the server's own threads).
        """)
    var isolation: Isolation = .process

    @Option(help: "Address space of each worker process, in MiB (0: no limit).")
    var workerMemoryMib: Int = 8192

    @Option(help: "Seconds a worker may go without finishing a page before it is stopped and the job failed.")
    var workerStallSeconds: Double = 600

    @Option(help: "Longest one job may take in all, in seconds (0: no limit but the stall limit).")
    var jobTimeout: Double = 0

    @Option(help: "Log lines: text (default) or json (one JSON object a line, for journald and log shippers).")
    var logFormat: LogFormat = .text

    @OptionGroup var engineOptions: EngineOptions

    enum LogFormat: String, ExpressibleByArgument {
        case text, json
    }

    enum Isolation: String, ExpressibleByArgument {
        case process, none
    }

    enum Switch: String, ExpressibleByArgument {
        case on, off
    }

    func validate() throws {
        if let port, !(1...65535).contains(port) { throw ValidationError("--port must be between 1 and 65535") }
        if let retentionHours, retentionHours <= 0 { throw ValidationError("--retention-hours must be positive") }
        if workerMemoryMib < 0 { throw ValidationError("--worker-memory-mib must be 0 or more") }
        if workerStallSeconds <= 0 { throw ValidationError("--worker-stall-seconds must be positive") }
        if jobTimeout < 0 { throw ValidationError("--job-timeout must be 0 or more") }
        for (flag, value) in [("--max-upload-seconds", maxUploadSeconds), ("--upload-grace-seconds", uploadGraceSeconds),
                              ("--max-uploads-per-address", maxUploadsPerAddress), ("--max-uploads-per-account", maxUploadsPerAccount)] {
            if let value, value < 0 { throw ValidationError("\(flag) must be 0 or more") }
        }
        if let minUploadKiBPerSecond, minUploadKiBPerSecond < 0 { throw ValidationError("--min-upload-kib-per-second must be 0 or more") }
    }

    func run() async throws {
        EngineOptions.bootstrapLogging(verbose: engineOptions.verbose, quietLevel: .info, json: logFormat == .json)
        let logger = Logger(label: "ocrchat.server")
        var settings: ServerConfiguration
        do {
            settings = try resolvedConfiguration(environment: ProcessInfo.processInfo.environment)
        } catch {
            throw CleanExit.failure("\(error)")
        }
        if settings.singleUser, !settings.listensOnLoopbackOnly {
            throw CleanExit.failure(SingleUserModeError(host: settings.host).description)
        }
        // --vlm-url and --vlm-model win over vlm_url and vlm_model in the config file.
        let visionModel: VisionModelEndpoint?
        do {
            visionModel = try engineOptions.visionModel(url: settings.vlmURL, model: settings.vlmModel)
        } catch let error as ValidationError {
            throw CleanExit.failure("\(error)")
        }
        let reader: any DocumentReader
        switch isolation {
        case .none:
            reader = try engineOptions.makeEngine(visionModel: visionModel)
        case .process:
            let workers = engineOptions.jobs ?? ProcessInfo.processInfo.activeProcessorCount
            let configuration = EngineConfiguration(workers: workers, limits: engineOptions.limits,
                                                    logger: Logger(label: "ocrchat.engine"), visionModel: visionModel,
                                                    neuralModels: engineOptions.neuralModels)
            guard !configuration.models.installedLanguages.isEmpty else {
                throw CleanExit.failure("\(EngineError.languageNotInstalled(language: "eng", installed: []))")
            }
            // One document per worker at a time: as many job runners as workers keep them all busy.
            // Each worker reads its document's pages on `workers` threads, so that one large job
            // still uses every core; with several jobs at once the threads share the cores.
            settings.jobRunners = max(settings.jobRunners, workers)
            reader = WorkerPool(engine: configuration, pool: WorkerPoolConfiguration(
                workers: workers, verbose: engineOptions.verbose, memoryLimitMiB: workerMemoryMib,
                stallSeconds: workerStallSeconds, jobSeconds: jobTimeout,
                environment: ProcessInfo.processInfo.environment.merging(
                    [EngineOptions.jsonLogsVariable: logFormat.rawValue]) { $1 }), logger: logger)
        }
        // "serving on" is said once the socket is bound, so that it is never followed by a bind error.
        let files = settings.sharedFolder.map { "the shared folder \($0)" } ?? settings.dataURL.path
        let storage = try settings.database.map { "with data in \(try PostgresLocation($0).redacted) and files in \(files)" }
            ?? "with data in \(settings.dataURL.path)"
        let announcement = "as node \(settings.nodeName) \(storage); metering \(settings.metering.enabled ? "on" : "off"); documents read \(isolation == .process ? "in worker processes" : "in this process")"
        let host = settings.host
        let dataURL = settings.dataURL
        let opening = settings.database.flatMap { try? PostgresLocation($0).redacted }.map { "cannot use the database \($0)" }
            ?? "cannot open the data folder \(settings.dataURL.path)"
        let app = try await Self.failing(opening) {
            try await buildApplication(configuration: settings, reader: reader, logger: logger) { port in
                // For `ocrchat token` run from another folder (only a server that did start is recorded).
                DataFolderRecord.record(dataURL, environment: ProcessInfo.processInfo.environment)
                logger.notice("ocrchat serving on http://\(host):\(port) (web page at /, API docs at /api/docs) \(announcement)")
            }
        }
        do {
            try await runUntilStopped(app, configuration: settings, logger: logger)
        } catch {
            throw CleanExit.failure(Self.listenFailure(error, host: settings.host, port: settings.port))
        }
        logger.notice("ocrchat stopped")
    }

    /// What `body` returns, or a clean exit with `message` and the error.
    static func failing<T>(_ message: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw CleanExit.failure("\(message): \(error)")
        }
    }

    /// One line for a server that could not start: a port in use or not ours to take says so
    /// (NIO's own error names `bind(descriptor:ptr:bytes:)`).
    static func listenFailure(_ error: any Error, host: String, port: Int) -> String {
        let text = String(describing: error)
        if text.contains("Address already in use") || text.contains("errno: \(EADDRINUSE)") {
            return "port \(port) on \(host) is already in use (another server?); stop it or choose another with --port"
        }
        if text.contains("Permission denied") || text.contains("errno: \(EACCES)") {
            return "not allowed to listen on port \(port) on \(host) (ports below 1024 need privileges); choose another with --port"
        }
        if text.contains("Cannot assign requested address") || text.contains("errno: \(EADDRNOTAVAIL)") {
            return "cannot listen on \(host): it is not an address of this machine; choose another with --host"
        }
        return "the server stopped: \(text)"
    }

    /// The config file serve reads: the one named by --config or OCRCHAT_CONFIG (`named`), else
    /// ocrchat.json in the data folder, when it is there.
    func configFile(environment: [String: String]) -> (path: String, named: Bool) {
        if let path = config ?? environment["OCRCHAT_CONFIG"] { return (path, true) }
        let folder = data ?? environment["OCRCHAT_DATA"] ?? ServerConfiguration().dataDirectory
        return (URL(fileURLWithPath: folder).appendingPathComponent("ocrchat.json").path, false)
    }

    /// Flags win over the environment, which wins over the config file, which wins over defaults.
    func resolvedConfiguration(environment: [String: String]) throws -> ServerConfiguration {
        var settings = ServerConfiguration()
        let (configPath, named) = configFile(environment: environment)
        if FileManager.default.fileExists(atPath: configPath) {
            do {
                settings = try JSONDecoder().decode(ServerConfiguration.self, from: Data(contentsOf: URL(fileURLWithPath: configPath)))
            } catch {
                throw CommandError("the config file \(configPath) cannot be read: \(error)")
            }
        } else if named {
            throw CommandError("the config file \(configPath) does not exist")
        }
        if let value = environment["OCRCHAT_HOST"] { settings.host = value }
        if let value = environment["OCRCHAT_PORT"] {
            guard let port = Int(value), (1...65535).contains(port) else { throw CommandError("OCRCHAT_PORT must be a port number") }
            settings.port = port
        }
        if let value = environment["OCRCHAT_METERING"] {
            guard let state = Switch(rawValue: value.lowercased()) else { throw CommandError("OCRCHAT_METERING must be on or off") }
            settings.metering.enabled = state == .on
        }
        if let dataFolder = data ?? environment["OCRCHAT_DATA"] { settings.dataDirectory = dataFolder }
        if let named = node ?? environment["OCRCHAT_NODE"] { settings.node = named }
        if let named = database ?? environment["OCRCHAT_DATABASE"] { settings.database = named.isEmpty ? nil : named }
        if let named = settings.database { _ = try PostgresLocation(named) }  // a mistyped URL is said before anything starts
        if let folder = sharedFolder ?? environment["OCRCHAT_SHARED_FOLDER"] { settings.sharedFolder = folder.isEmpty ? nil : folder }
        _ = try settings.openSharedFolder()  // without PostgreSQL, or not writable here: said before anything starts
        if let host { settings.host = host }
        if let port { settings.port = port }
        if let metering { settings.metering.enabled = metering == .on }
        if let retentionHours { settings.retentionHours = retentionHours }
        if let maxUploadSeconds { settings.maxUploadSeconds = maxUploadSeconds }
        if let minUploadKiBPerSecond { settings.minUploadKiBPerSecond = minUploadKiBPerSecond }
        if let uploadGraceSeconds { settings.uploadGraceSeconds = uploadGraceSeconds }
        if let maxUploadsPerAddress { settings.maxUploadsPerAddress = maxUploadsPerAddress }
        if let maxUploadsPerAccount { settings.maxUploadsPerAccount = maxUploadsPerAccount }
        if let hosts = callbackHosts ?? environment["OCRCHAT_CALLBACK_HOSTS"] {
            settings.callbacks.hosts = hosts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let secret = callbackSecret ?? environment["OCRCHAT_CALLBACK_SECRET"] { settings.callbacks.secret = secret }
        if let problem = settings.callbacks.problem { throw CommandError(problem) }
        settings.chat = localModel.applied(to: settings.chat)
        if singleUser { settings.singleUser = true }
        settings.maxUploadMiB = engineOptions.maxFileMib
        return settings
    }
}

extension LocalModelOptions {
    /// `chat` with what was given on the command line.
    func applied(to chat: ChatConfiguration) -> ChatConfiguration {
        var chat = chat
        if let llmURL { chat.llmURL = llmURL }
        if let llmModel { chat.llmModel = llmModel }
        if let llmTimeout { chat.llmTimeoutSeconds = llmTimeout }
        return chat
    }
}
