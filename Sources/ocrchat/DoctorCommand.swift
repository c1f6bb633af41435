import ArgumentParser
import Foundation
import Logging
import OCRChatEngine
import OCRChatNeural
import OCRChatServer
import OCRChatTranslate

/// `ocrchat doctor`: is this machine ready to serve? One line per check, what to do when not.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the models, languages, OpenMP limit, data folder, database, vlm tier, Apertium and port.",
        discussion: """
            Reads the settings as 'ocrchat serve' does (flags, OCRCHAT_* variables, the config file), \
            prints one line per check (ok, warning or error, and what to do) and exits 1 when a check \
            is an error. Installed as a service: 'sudo -u ocrchat ocrchat doctor --config /etc/ocrchat/ocrchat.json'.
            """
    )

    @Option(help: "Data folder to check (default: as serve: OCRCHAT_DATA, the config file, ./data).")
    var data: String?

    @Option(help: "JSON config file serve would read (default: OCRCHAT_CONFIG, else ocrchat.json in the data folder).")
    var config: String?

    @Option(help: "PostgreSQL database serve would share with other nodes (postgres://…; default: as serve: OCRCHAT_DATABASE, the config file).")
    var database: String?

    @Option(help: "Address serve would listen on.")
    var host: String?

    @Option(help: "Port serve would listen on.")
    var port: Int?

    @Option(help: "Folder of the vlm tier's PP-OCR models (default: OCRCHAT_MODELS_DIR, else the installed rapidocr wheel's).")
    var modelsDir: String?

    /// Free space below this is an error (uploads and results could not be written).
    static let minimumFreeBytes: UInt64 = 256 << 20
    /// Free space below this is a warning.
    static let comfortableFreeBytes: UInt64 = 2 << 30

    func run() async throws {
        var checks: [DoctorCheck] = []
        let environment = ProcessInfo.processInfo.environment
        var serveArguments: [String] = []
        if let data { serveArguments += ["--data", data] }
        if let config { serveArguments += ["--config", config] }
        if let database { serveArguments += ["--database", database] }
        if let host { serveArguments += ["--host", host] }
        if let port { serveArguments += ["--port", String(port)] }
        var settings: ServerConfiguration?
        do {
            let serve = try ServeCommand.parse(serveArguments)
            settings = try serve.resolvedConfiguration(environment: environment)
            checks.append(.ok("settings", Self.configDescription(serve.configFile(environment: environment))))
        } catch {
            checks.append(.error("settings", "\(error)", fix: "correct the config file (JSON, see the README's Settings) or the OCRCHAT_* variables"))
        }

        checks += Self.modelChecks(ModelLocator.standard())
        checks.append(Self.openMPCheck(environment: environment))
        if let settings {
            if let database = settings.database {
                checks += Self.dataFolderChecks(settings.dataURL, sqlite: false)
                checks.append(await Self.postgresCheck(database))
            } else {
                checks += Self.dataFolderChecks(settings.dataURL, sqlite: true)
            }
            checks.append(Self.portCheck(host: settings.host, port: settings.port))
        }
        var neural = NeuralModelLocator.standard()
        if let modelsDir { neural.modelsDirectory = modelsDir }
        checks.append(Self.neuralCheck(neural))
        checks.append(Self.apertiumCheck(ApertiumTranslator()))

        for check in checks { print(check.line) }
        let errors = checks.filter { $0.level == .error }.count
        let warnings = checks.filter { $0.level == .warning }.count
        print("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
        if errors > 0 { throw ExitCode(1) }
    }

    /// Which config file serve would read (`ServeCommand.configFile`), said for the settings check.
    private static func configDescription(_ file: (path: String, named: Bool)) -> String {
        if file.named { return "read from \(file.path)" }
        if FileManager.default.fileExists(atPath: file.path) { return "read from \(file.path) (in the data folder)" }
        return "defaults, the OCRCHAT_* variables and flags (no config file)"
    }

    /// Tesseract's English and orientation models, and the languages installed.
    static func modelChecks(_ locator: ModelLocator) -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        let folders = locator.searchPaths.map(\.path).joined(separator: ", ")
        // The first folder searched that holds MODEL.traineddata.
        func folder(of model: String) -> String {
            locator.searchPaths.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("\(model).traineddata").path) }?
                .path ?? "the model folders"
        }
        checks.append(locator.isInstalled("eng")
            ? .ok("model eng", "English, eng.traineddata in \(folder(of: "eng"))")
            : .error("model eng", "eng.traineddata is in none of \(folders)", fix: "apt-get install tesseract-ocr-eng"))
        checks.append(locator.isInstalled("osd")
            ? .ok("model osd", "orientation and script detection, osd.traineddata in \(folder(of: "osd"))")
            : .warning("model osd", "osd.traineddata is missing: rotated pages are read as they lie",
                       fix: "apt-get install tesseract-ocr-osd"))
        let installed = locator.installedLanguages
        checks.append(installed.isEmpty
            ? .error("languages", "no language model installed", fix: "apt-get install tesseract-ocr-eng")
            : .ok("languages", "\(installed.count) installed: \(installed.joined(separator: " ")) (more: 'ocrchat languages')"))
        return checks
    }

    /// OpenMP inside Tesseract makes a page several times slower with more than one thread here.
    static func openMPCheck(environment: [String: String]) -> DoctorCheck {
        let value = environment[SingleThreadedOpenMP.variable]
        if environment[SingleThreadedOpenMP.setBySelfMarker] != nil {
            return .warning("OpenMP limit", "OMP_THREAD_LIMIT was not in the environment; ocrchat set it to 1 and restarted itself",
                            fix: "set OMP_THREAD_LIMIT=1 in the environment (the systemd unit does)")
        }
        guard value == SingleThreadedOpenMP.value else {
            return .warning("OpenMP limit", "OMP_THREAD_LIMIT=\(value ?? "unset"): Tesseract pages run several times slower",
                            fix: "set OMP_THREAD_LIMIT=1")
        }
        return .ok("OpenMP limit", "OMP_THREAD_LIMIT=1")
    }

    /// The data folder: there (or makeable), writable, private, with room; the SQLite database in
    /// it opens (`sqlite`; a node sharing PostgreSQL keeps only files in flight there).
    static func dataFolderChecks(_ folder: URL, sqlite: Bool) -> [DoctorCheck] {
        let path = folder.path
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: path, isDirectory: &isDirectory) else {
            var parent = folder.deletingLastPathComponent()
            while !files.fileExists(atPath: parent.path), parent.path != "/" { parent = parent.deletingLastPathComponent() }
            return [access(parent.path, W_OK) == 0
                ? .ok("data folder", "\(path) does not exist yet; serve makes it")
                : .error("data folder", "\(path) does not exist and \(parent.path) is not writable by \(userName(geteuid()))",
                         fix: "mkdir -p \(path) and chown it to the user who runs serve")]
        }
        guard isDirectory.boolValue else {
            return [.error("data folder", "\(path) is not a folder", fix: "point --data or \"data\" in the config at a folder")]
        }
        var checks: [DoctorCheck] = []
        var info = stat()
        let owner = stat(path, &info) == 0 ? userName(info.st_uid) : "unknown"
        if access(path, R_OK | W_OK | X_OK) != 0 {
            checks.append(.error("data folder", "\(path) (owner \(owner)) is not writable by \(userName(geteuid()))",
                                 fix: "chown -R USER \(path) for the user who runs serve, or run as \(owner)"))
        } else if info.st_mode & 0o007 != 0 {
            checks.append(.warning("data folder", "\(path) (owner \(owner)) is open to every user (mode \(String(info.st_mode & 0o777, radix: 8))): it holds uploads and the password key",
                                   fix: "chmod o-rwx \(path)"))
        } else {
            checks.append(.ok("data folder", "\(path) (owner \(owner), mode \(String(info.st_mode & 0o777, radix: 8))) writable"))
        }
        var space = statvfs()
        if statvfs(path, &space) == 0 {
            let free = UInt64(space.f_bavail) * UInt64(space.f_frsize)
            let text = ByteCountFormatter.string(fromByteCount: Int64(free), countStyle: .binary)
            if free < minimumFreeBytes {
                checks.append(.error("free space", "\(text) free under \(path): uploads and results will fail", fix: "free space or move the data folder"))
            } else if free < comfortableFreeBytes {
                checks.append(.warning("free space", "\(text) free under \(path)", fix: "keep at least 2 GiB free for uploads and results"))
            } else {
                checks.append(.ok("free space", "\(text) free under \(path)"))
            }
        }
        if sqlite { checks.append(databaseCheck(folder)) }
        return checks
    }

    /// The PostgreSQL database several nodes share: it answers as serve's user, its tables are
    /// there (made or brought up to date as serve does), and how many jobs wait in its queue.
    static func postgresCheck(_ url: String) async -> DoctorCheck {
        let shown = (try? PostgresLocation(url).redacted) ?? "the database"
        var logger = Logger(label: "ocrchat.doctor")
        logger.logLevel = .critical
        do {
            let waiting = try await sharedQueueDepth(database: url, logger: logger)
            return .ok("database", "\(shown) answers, tables up to date, \(waiting) job\(waiting == 1 ? "" : "s") waiting in the shared queue")
        } catch {
            return .error("database", "\(shown) does not answer: \(error)",
                          fix: "check the URL, that PostgreSQL runs there and lets this user in (pg_hba.conf), and that the database exists (createdb)")
        }
    }

    /// Opens the database as serve does (a new one is not made here: serve makes it as its own user).
    static func databaseCheck(_ folder: URL) -> DoctorCheck {
        let file = folder.appendingPathComponent("ocrchat.sqlite").path
        guard FileManager.default.fileExists(atPath: file) else {
            return .ok("database", "no database yet in \(folder.path); serve makes it on first start")
        }
        do {
            let health = try SQLiteStore(directory: folder).checkHealth()
            guard health.integrity == "ok" else {
                return .error("database", "\(file): SQLite's check says \(health.integrity)",
                              fix: "stop the server, keep a copy of the data folder, and restore it from a backup")
            }
            let counts = health.jobs.sorted { $0.key < $1.key }
                .map { status, tiers in "\(tiers.values.reduce(0, +)) \(status)" }.joined(separator: ", ")
            return .ok("database", "\(file) opens, checks ok\(counts.isEmpty ? ", no jobs" : " (jobs: \(counts))")")
        } catch {
            return .error("database", "\(file) does not open: \(error)",
                          fix: "check its owner and permissions; a damaged file: restore the data folder from a backup")
        }
    }

    /// The premium tier: PP-OCR's model files (checksums) and ONNX Runtime.
    static func neuralCheck(_ locator: NeuralModelLocator) -> DoctorCheck {
        switch NeuralReader.load(locator) {
        case .success(let reader):
            return .ok("vlm tier", reader.description)
        case .failure(let error):
            return .warning("vlm tier", "\(error); vlm pages are read by Tesseract",
                            fix: "install the models and runtime (the .deb puts them in /usr/share/ocrchat/vlm and /usr/lib/ocrchat; or pip install onnxruntime rapidocr==3.10.0), or set OCRCHAT_MODELS_DIR and OCRCHAT_ONNXRUNTIME")
        }
    }

    /// Apertium's installed pairs, for tool=translate.
    static func apertiumCheck(_ translator: ApertiumTranslator) -> DoctorCheck {
        let pairs = translator.availablePairs
        guard FileManager.default.isExecutableFile(atPath: translator.executable.path) else {
            return .warning("apertium", "the apertium program is not installed: tool=translate is refused",
                            fix: "apt-get install apertium apertium-eng-spa (or another pair)")
        }
        guard !pairs.isEmpty else {
            return .warning("apertium", "no language pair in \(translator.modesDirectory.path): tool=translate is refused",
                            fix: "apt-get install apertium-eng-spa (or another pair)")
        }
        return .ok("apertium", "\(pairs.count) pairs: \(pairs.joined(separator: " "))")
    }

    /// Whether serve could listen: free, or already held by an ocrchat that answers /healthz.
    static func portCheck(host: String, port: Int) -> DoctorCheck {
        let name = "port \(port)"
        switch PortProbe.bind(host: host, port: port) {
        case .free:
            return .ok(name, "\(host):\(port) is free")
        case .unresolvable(let detail):
            return .error(name, "cannot listen on \(host): \(detail)", fix: "set \"host\" to an address of this machine (127.0.0.1, 0.0.0.0)")
        case .inUse:
            if let answer = PortProbe.healthz(host: host, port: port), answer.contains("\"pending_jobs\"") {
                return .ok(name, "an ocrchat server already answers on \(host):\(port)")
            }
            return .error(name, "\(host):\(port) is held by another program",
                          fix: "stop it (ss -ltnp 'sport = :\(port)' names it) or choose another port (--port, \"port\" in the config)")
        case .denied(let detail):
            return .error(name, "cannot listen on \(host):\(port): \(detail)", fix: "ports under 1024 need privileges: use 8080 or another")
        }
    }
}

/// One line of the doctor's report.
struct DoctorCheck: Equatable {
    enum Level: String { case ok, warning, error }
    var level: Level
    var name: String
    var detail: String
    var fix: String?

    static func ok(_ name: String, _ detail: String) -> DoctorCheck { DoctorCheck(level: .ok, name: name, detail: detail) }
    static func warning(_ name: String, _ detail: String, fix: String) -> DoctorCheck {
        DoctorCheck(level: .warning, name: name, detail: detail, fix: fix)
    }
    static func error(_ name: String, _ detail: String, fix: String) -> DoctorCheck {
        DoctorCheck(level: .error, name: name, detail: detail, fix: fix)
    }

    /// `ok       model eng: …`, with `; fix: …` when there is something to do.
    var line: String {
        let padded = level.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
        return "\(padded) \(name): \(detail)" + (fix.map { "; fix: \($0)" } ?? "")
    }
}

/// The name of a user id, or the number.
private func userName(_ uid: uid_t) -> String {
    guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
    return String(cString: name)
}

/// Trying the address serve would bind, without keeping it.
enum PortProbe {
    enum Outcome { case free, inUse, denied(String), unresolvable(String) }

    /// The first address `host` resolves to, as getaddrinfo gives it (IPv4 or IPv6).
    private static func address(host: String, port: Int) -> (family: Int32, storage: sockaddr_storage, length: socklen_t)? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else { return nil }
        defer { freeaddrinfo(result) }
        var storage = sockaddr_storage()
        memcpy(&storage, first.pointee.ai_addr, Int(first.pointee.ai_addrlen))
        return (first.pointee.ai_family, storage, first.pointee.ai_addrlen)
    }

    static func bind(host: String, port: Int) -> Outcome {
        guard var target = address(host: host, port: port) else { return .unresolvable("the name does not resolve") }
        let fd = socket(target.family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return .denied(String(cString: strerror(errno))) }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &target.storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, target.length) }
        }
        if bound == 0 { return .free }
        switch errno {
        case EADDRINUSE: return .inUse
        case EADDRNOTAVAIL: return .unresolvable("not an address of this machine")
        default: return .denied(String(cString: strerror(errno)))
        }
    }

    /// The body of `GET /healthz` at host:port, within two seconds, or nil.
    static func healthz(host: String, port: Int) -> String? {
        let connectHost = host == "0.0.0.0" ? "127.0.0.1" : (host == "::" ? "::1" : host)
        guard var target = address(host: connectHost, port: port) else { return nil }
        let fd = socket(target.family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &target.storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, target.length) }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET /healthz HTTP/1.1\r\nHost: \(connectHost)\r\nConnection: close\r\n\r\n".utf8)
        guard send(fd, request, request.count, 0) == request.count else { return nil }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while answer.count < 65536 {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            answer += buffer[0..<count]
        }
        return answer.isEmpty ? nil : String(decoding: answer, as: UTF8.self)
    }
}
