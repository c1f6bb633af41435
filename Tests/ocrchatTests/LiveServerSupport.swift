import Foundation
import Testing

/// What the crash, security and load tests share: a look at the data folder on disk, accounts
/// made with `ocrchat token`, uploads with curl, and a raw socket for clients that misbehave.
enum Live {
    /// A fresh folder under the temporary directory.
    static func temporaryFolder(_ label: String = "live") -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-\(label)-\(UUID().uuidString)", isDirectory: true)
    }

    /// Writes `ocrchat.json` into the data folder (read by `serve` at start).
    static func writeConfig(_ json: String, in folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(json.utf8).write(to: folder.appendingPathComponent("ocrchat.json"))
    }

    /// The names of the files in `sub` of the data folder (`uploads`, `results`), sorted.
    static func files(_ sub: String, of folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(sub).path)) ?? []).sorted()
    }

    /// Creates a paid account with `credits` and returns its token.
    static func paidToken(_ name: String, credits: Int, in folder: URL) async throws -> String {
        let run = try await ConvertCommandTests.ocrchat(["token", "create", "--name", name, "--plan", "paid",
                                                   "--credits", String(credits), "--data", folder.path])
        guard run.status == 0 else { throw ServerError("token create failed: \(run.stderr)") }
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Credits used by the account `name`, as `ocrchat token list` shows them (`used/total`).
    static func creditsUsed(_ name: String, in folder: URL) async throws -> Int? {
        let run = try await ConvertCommandTests.ocrchat(["token", "list", "--data", folder.path])
        let columns = run.stdout.split(separator: "\n").map { $0.split(separator: "\t") }.first { $0.first.map(String.init) == name }
        return columns.flatMap { $0.count > 3 ? Int($0[3].split(separator: "/")[0]) : nil }
    }

    /// POSTs a sample with curl; returns the status (0 when the connection died) and the JSON body.
    static func upload(_ server: ServerProcess, _ sample: String, token: String? = nil, extra: [String] = []) async throws -> (Int, [String: Any]) {
        var arguments = ["-F", "file=@\(ConvertCommandTests.sample(sample))", "\(server.baseURL)/api/v1/ocr/"] + extra
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        let (status, body) = try await server.http(arguments)
        return (status, (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:])
    }

    /// Polls the job until it is done or failed (or `seconds` pass); returns the last job object.
    static func waitForJob(_ server: ServerProcess, _ uuid: String, token: String? = nil, seconds: Double = 180) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        var job: [String: Any] = [:]
        while Date() < deadline {
            job = try await server.json("/api/v1/ocr/\(uuid)/", token: token)
            if let status = job["status"] as? String, status == "done" || status == "failed" { return job }
            try await Task.sleep(for: .milliseconds(200))
        }
        return job
    }

    /// A client that sends phototest.png's upload head and half its body, then stalls.
    static func halfSentUpload(to server: ServerProcess) throws -> RawConnection {
        let upload = HandMadeMultipart(file: try Data(contentsOf: URL(fileURLWithPath: ConvertCommandTests.sample("phototest.png"))),
                                       fileName: "photo.png")
        let connection = try RawConnection(port: server.port)
        connection.send(upload.head(port: server.port))
        connection.send(upload.body.prefix(upload.body.count / 2))
        return connection
    }

    /// Waits until `condition` holds (true) or `seconds` pass (false).
    @discardableResult
    static func waitUntil(seconds: Double, _ condition: () async throws -> Bool) async rethrows -> Bool {
        try await eventually(within: seconds, condition)
    }
}

extension ServerProcess {
    /// Waits for the process to end by itself (a crash point, a signal); true when it did.
    func waitForExit(within seconds: Double) async -> Bool {
        await process.exited(within: seconds)
    }
}

/// A plain TCP connection to the server, for clients that send slowly, stop half way or send
/// what curl would not.
final class RawConnection {
    private let fd: Int32

    /// Connects to the server's port on 127.0.0.1, from `source` (another loopback address, to
    /// act as a second client machine) when given.
    init(port: Int, from source: String? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(source)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else {
                close(fd)
                throw ServerError("cannot bind to \(source)")
            }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw ServerError("cannot connect to port \(port)")
        }
    }

    deinit { close(fd) }

    /// Sends all of `data` (false once the peer has gone).
    @discardableResult
    func send(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return false }
                offset += sent
            }
            return true
        }
    }

    /// What the server has sent so far, without waiting, and whether it has closed the connection.
    func available() -> (data: Data, closed: Bool) {
        var result = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count > 0 {
                result.append(contentsOf: buffer[0..<count])
            } else {
                return (result, count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
            }
        }
    }

    /// Everything the server sends until it closes the connection or `seconds` pass, looked at
    /// every 10 ms without waiting in `recv`.
    func receive(seconds: Double) async -> Data {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var result = Data()
        while true {
            let (data, closed) = available()
            result.append(data)
            if closed || ContinuousClock.now >= deadline { return result }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// A multipart/form-data body built by hand, so that a test can send names curl would refuse.
struct HandMadeMultipart {
    static let boundary = "ocrchat-live-boundary-51c9d2"
    var body = Data()

    init(file: Data, fileName: String, fields: [String: String] = [:]) {
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body += Data("--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Data("--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\n".utf8)
        body += Data("Content-Type: application/octet-stream\r\n\r\n".utf8)
        body += file
        body += Data("\r\n--\(Self.boundary)--\r\n".utf8)
    }

    var contentType: String { "multipart/form-data; boundary=\(Self.boundary)" }

    /// The request head of a POST to the upload route with this body.
    func head(port: Int, extraHeaders: String = "") -> Data {
        Data(("POST /api/v1/ocr/ HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: \(contentType)\r\n" +
              "Content-Length: \(body.count)\r\n\(extraHeaders)\r\n").utf8)
    }
}
