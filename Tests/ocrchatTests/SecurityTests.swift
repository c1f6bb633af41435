import Foundation
import Testing

/// A hostile or curious client against the real `ocrchat serve`: other accounts' jobs, file
/// names that look like paths, oversized bodies and headers; and what the operator can check on
/// disk: tokens only hashed, nothing private in the log, uploads and results gone when due.
@Suite("Security of the live server", .serialized, .oneMachineSlot)
struct SecurityTests {
    @Test("another account's job is a 404 on every route; an anonymous caller gets 404 (401 for chat)")
    func otherAccountsJobs() async throws {
        let folder = Live.temporaryFolder("security")
        let alice = try await Live.paidToken("alice", credits: 100, in: folder)
        let bob = try await Live.paidToken("bob", credits: 100, in: folder)
        let server = try await ServerProcess(dataFolder: folder)
        let (status, job) = try await Live.upload(server, "phototest.png", token: alice)
        #expect(status == 200)
        let uuid = try #require(job["uuid"] as? String)
        let base = "\(server.baseURL)/api/v1"
        let question = ["-X", "POST", "-H", "Content-Type: application/json", "--data", #"{"message": "what is the text about?"}"#]
        let routes: [(String, [String])] = [
            ("poll", ["\(base)/ocr/\(uuid)/"]),
            ("poll without slash", ["\(base)/ocr/\(uuid)"]),
            ("history", ["\(base)/chat/\(uuid)/history/"]),
            ("chat", question + ["\(base)/chat/\(uuid)/"]),
        ] + ["txt", "md", "json", "csv", "docx", "pdf"].map { ("download \($0)", ["\(base)/ocr/\(uuid)/download/?format=\($0)"]) }
        for (name, arguments) in routes {
            let own = try await server.http(arguments + ["-H", "Authorization: Bearer \(alice)"]).0
            #expect(own == 200 || (name == "chat" && own == 501), "\(name): the owner")
            #expect(try await server.http(arguments + ["-H", "Authorization: Bearer \(bob)"]).0 == 404, "\(name): another account")
            let url = arguments.last!
            let inQuery = Array(arguments.dropLast()) + [url + (url.contains("?") ? "&" : "?") + "api_token=\(bob)"]
            #expect(try await server.http(inQuery).0 == 404, "\(name): another account's token in the query")
            let anonymous = try await server.http(arguments).0
            #expect(anonymous == (name == "chat" || name == "history" ? 401 : 404), "\(name): anonymous")
        }
        // A uuid nobody made, and an upper-case spelling of Alice's for Bob, are 404 too.
        #expect(try await server.http(["-H", "Authorization: Bearer \(bob)", "\(base)/ocr/\(uuid.uppercased())/"]).0 == 404)
        #expect(try await server.http(["-H", "Authorization: Bearer \(alice)", "\(base)/ocr/\(UUID().uuidString.lowercased())/"]).0 == 404)
    }

    @Test("tokens are stored only as their SHA-256; job uuids are random version-4 UUIDs")
    func tokensHashedAndUUIDsRandom() async throws {
        let folder = Live.temporaryFolder("security")
        let token = try await Live.paidToken("alice", credits: 100, in: folder)
        let server = try await ServerProcess(dataFolder: folder)
        var uuids: Set<String> = []
        for _ in 0..<3 {
            let uuid = try #require(try await Live.upload(server, "phototest.png", token: token).1["uuid"] as? String)
            uuids.insert(uuid)
            let characters = Array(uuid)
            #expect(characters.count == 36 && characters[14] == "4", "version 4: \(uuid)")
            #expect("89ab".contains(characters[19]), "RFC 4122 variant: \(uuid)")
        }
        #expect(uuids.count == 3)
        await server.kill9()
        // Every byte the database holds (main file, WAL, shared memory): the hash is there, the token is not.
        let hash = try await Self.sha256(token)
        var stored = Data()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasPrefix("ocrchat.sqlite") {
            stored += try Data(contentsOf: folder.appendingPathComponent(name))
        }
        #expect(stored.range(of: Data(token.utf8)) == nil)
        #expect(stored.range(of: Data(hash.utf8)) != nil)
    }

    @Test("upload file names are never paths: ../../etc/passwd and a NUL byte land in uploads/ under the uuid")
    func fileNamesAreNotPaths() async throws {
        let root = Live.temporaryFolder("security")
        let folder = root.appendingPathComponent("a/b/data", isDirectory: true)
        let server = try await ServerProcess(dataFolder: folder)
        let image = try Data(contentsOf: URL(fileURLWithPath: ConvertCommandTests.sample("phototest.png")))
        func plain(_ name: String) -> String { "attachment; filename=\"\(name)\"" }
        let names: [(sent: String, disposition: String)] = [
            ("../../etc/passwd", plain("passwd.txt")),
            ("../../../../../../tmp/ocrchat-escape.png", plain("ocrchat-escape.txt")),
            ("evil\u{0}.png/../../x", plain("x.txt")),
            ("/absolute/path/report.png", plain("report.txt")),
            ("..", plain("document.txt")),
            ("quote\"\r\nSet-Cookie: x=1.png", plain("quote.txt")),
            // Not plain ASCII: an ASCII fallback, and the name itself as RFC 8187 UTF-8 (raw UTF-8 in a
            // header reads as Latin-1 in Python's http.client).
            ("Rechnung Müller.png", plain("Rechnung Muller.txt") + "; filename*=UTF-8''Rechnung%20M%C3%BCller.txt"),
        ]
        for (sent, expected) in names {
            let upload = HandMadeMultipart(file: image, fileName: sent)
            let bodyFile = root.appendingPathComponent("body-\(UUID().uuidString)")
            try upload.body.write(to: bodyFile)
            let (status, body) = try await server.http(["-H", "Content-Type: \(upload.contentType)", "--data-binary", "@\(bodyFile.path)",
                                                  "\(server.baseURL)/api/v1/ocr/"])
            #expect(status == 200, "\(sent.debugDescription): \(String(decoding: body, as: UTF8.self))")
            let job = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
            let uuid = try #require(job["uuid"] as? String)
            let headers = root.appendingPathComponent("headers-\(uuid)")
            let (code, _) = try await server.http(["-D", headers.path, "\(server.baseURL)/api/v1/ocr/\(uuid)/download/?format=txt"])
            #expect(code == 200)
            let disposition = try String(contentsOf: headers, encoding: .utf8).split(separator: "\r\n")
                .first { $0.lowercased().hasPrefix("content-disposition:") }.map(String.init) ?? ""
            #expect(disposition.lowercased() == "content-disposition: \(expected)".lowercased(), "\(sent.debugDescription)")
            #expect(!disposition.contains("\u{0}") && !disposition.contains("/"))
        }
        // Nothing was written outside the data folder, and inside it only the database and results.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("a").path) == ["b"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("a/b").path) == ["data"])
        #expect(!FileManager.default.fileExists(atPath: "/tmp/ocrchat-escape.png"))
        let everything = FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []
        for path in everything {
            let top = path.split(separator: "/").first.map(String.init) ?? path
            #expect(["uploads", "results", "server.log"].contains(top) || top.hasPrefix("ocrchat.sqlite"), "\(path)")
            #expect(!path.contains("passwd") && !path.contains("escape"), "\(path)")
        }
        #expect(Live.files("uploads", of: folder).isEmpty)
    }

    @Test("a body over the limit is a 400 (as the contract says) before it is read, announced or chunked; oversized headers are refused")
    func sizeLimits() async throws {
        let folder = Live.temporaryFolder("security")
        let server = try await ServerProcess(dataFolder: folder, arguments: ["--max-file-mib", "1"])
        let big = folder.appendingPathComponent("big.bin")
        try Data(repeating: 0x42, count: 3 << 20).write(to: big)
        let announced = try await server.http(["-F", "file=@\(big.path)", "\(server.baseURL)/api/v1/ocr/"])
        #expect(announced.0 == 400)
        #expect(String(decoding: announced.1, as: UTF8.self).contains("too large"))
        // Without a Content-Length the limit is counted as the body streams in.
        let chunked = try await server.http(["-H", "Transfer-Encoding: chunked", "-F", "file=@\(big.path)", "\(server.baseURL)/api/v1/ocr/"])
        #expect(chunked.0 == 400)
        #expect(Live.files("uploads", of: folder).isEmpty)
        // An 100 KiB header is past the parser's 80 KiB limit: refused, and the server carries on.
        let connection = try RawConnection(port: server.port)
        connection.send(Data("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: \(String(repeating: "a", count: 100 << 10))\r\n\r\n".utf8))
        let answer = String(decoding: await connection.receive(seconds: 10), as: UTF8.self)
        #expect(answer.hasPrefix("HTTP/1.1 400") && answer.contains(#"{"error":"#), "\(answer.prefix(300))")
        // A chat question is read up to 64 KiB only.
        let huge = folder.appendingPathComponent("question.json")
        try Data(("{\"message\": \"" + String(repeating: "x", count: 1 << 20) + "\"}").utf8).write(to: huge)
        let token = try await Live.paidToken("alice", credits: 10, in: folder)
        let uuid = try #require(try await Live.upload(server, "phototest.png", token: token).1["uuid"] as? String)
        #expect(try await server.http(["-X", "POST", "-H", "Authorization: Bearer \(token)", "--data-binary", "@\(huge.path)",
                                 "\(server.baseURL)/api/v1/chat/\(uuid)/"]).0 == 400)
        #expect(try await server.json("/healthz")["status"] as? String == "ok")
    }

    @Test("a client that stalls in the middle of an upload is cut off after idle_timeout_seconds; nothing is kept")
    func stalledClientIsCutOff() async throws {
        let folder = Live.temporaryFolder("security")
        try Live.writeConfig(#"{"idle_timeout_seconds": 2}"#, in: folder)
        let server = try await ServerProcess(dataFolder: folder)
        let connection = try Live.halfSentUpload(to: server)
        let started = Date()
        _ = await connection.receive(seconds: 30)  // returns when the server closes the connection
        #expect(Date().timeIntervalSince(started) < 20, "closed by the server, not by the 30 s wait")
        #expect(await Live.waitUntil(seconds: 10) { Live.files("uploads", of: folder).isEmpty }, "the half upload is removed")
        #expect(try await server.json("/healthz")["status"] as? String == "ok")
    }

    @Test("the log holds no token and no document text, even with --verbose")
    func nothingPrivateInTheLog() async throws {
        let folder = Live.temporaryFolder("security")
        let token = try await Live.paidToken("alice", credits: 100, in: folder)
        let server = try await ServerProcess(dataFolder: folder, arguments: ["--verbose"])
        let (_, job) = try await Live.upload(server, "phototest.png", token: token)
        let uuid = try #require(job["uuid"] as? String)
        #expect((job["text"] as? String)?.contains("quick brown dog") == true)
        _ = try await server.http(["\(server.baseURL)/api/v1/ocr/\(uuid)/?api_token=\(token)"])
        for format in ["txt", "docx", "pdf", "json"] {
            _ = try await server.http(["\(server.baseURL)/api/v1/ocr/\(uuid)/download/?format=\(format)&api_token=\(token)"])
        }
        _ = try await server.http(["-X", "POST", "-H", "Authorization: Bearer \(token)", "--data", #"{"message": "what about the dog?"}"#,
                             "\(server.baseURL)/api/v1/chat/\(uuid)/"])
        _ = try await server.http(["\(server.baseURL)/api/v1/ocr/\(uuid)/?api_token=\(token)x"])  // a wrong token, logged as a 401
        _ = try await Live.upload(server, "phototest.txt", token: token)  // refused: not an image
        let encrypted = try await Live.upload(server, "encrypted-openpassword.pdf", token: token, extra: ["-F", "password=openpassword"])
        #expect(encrypted.0 == 200)
        let log = server.log
        #expect(log.contains("request"), "the log is captured")
        #expect(!log.contains(token), "no token")
        #expect(!log.contains(String(token.dropFirst(4).prefix(20))), "no piece of a token")
        for word in ["quick brown", "lazy fox", "12 point", "openpassword", "what about the dog"] {
            #expect(!log.contains(word), "no document text or secret: \(word)")
        }
    }

    @Test("uploads are gone once processed, and results are purged from disk after the retention time")
    func uploadsAndResultsLeaveTheDisk() async throws {
        let folder = Live.temporaryFolder("security")
        // 0.002 h = 7.2 s of retention; the purge then runs every second.
        let server = try await ServerProcess(dataFolder: folder, arguments: ["--retention-hours", "0.002"])
        let inline = try #require(try await Live.upload(server, "phototest.png").1["uuid"] as? String)
        let queued = try #require(try await Live.upload(server, "report-10pages.pdf").1["uuid"] as? String)
        #expect(Live.files("results", of: folder).contains("\(inline).json"))
        #expect(!Live.files("uploads", of: folder).contains("\(inline).upload"), "the inline job's upload went with its answer")
        let finished = try await Live.waitForJob(server, queued)
        #expect(finished["status"] as? String == "done")
        #expect(Live.files("uploads", of: folder).isEmpty, "no upload stays after processing")
        // A refused upload leaves nothing either.
        #expect(try await Live.upload(server, "phototest.txt").0 == 400)
        #expect(Live.files("uploads", of: folder).isEmpty)
        // Past the retention time the results leave the disk and the jobs are gone.
        #expect(await Live.waitUntil(seconds: 60) { Live.files("results", of: folder).isEmpty }, "\(Live.files("results", of: folder))")
        #expect(try await server.http(["\(server.baseURL)/api/v1/ocr/\(inline)/"]).0 == 404)
        #expect(try await server.http(["\(server.baseURL)/api/v1/ocr/\(queued)/download/?format=txt"]).0 == 404)
    }

    @Test("the server listens on 127.0.0.1 unless --host says otherwise")
    func bindsToLoopback() async throws {
        let server = try await ServerProcess(dataFolder: Live.temporaryFolder("security"))
        #expect(try Self.listeningAddresses(port: server.port) == ["0100007F"])
        await server.kill9()
        // --host is honoured; another loopback address keeps the test off the network.
        let port = try ServerProcess.freePort()
        let other = Process()
        other.executableURL = ConvertCommandTests.binary
        other.arguments = ["serve", "--host", "127.0.0.2", "--port", String(port), "--data", Live.temporaryFolder("security").path]
        other.standardOutput = FileHandle.nullDevice
        other.standardError = FileHandle.nullDevice
        try other.run()
        defer { if other.isRunning { kill(other.processIdentifier, SIGKILL) } }
        #expect(try await Live.waitUntil(seconds: 30) { try !Self.listeningAddresses(port: port).isEmpty })
        #expect(try Self.listeningAddresses(port: port) == ["0200007F"])
        kill(other.processIdentifier, SIGKILL)
        _ = await other.exitStatus()
    }

    /// SHA-256 in hex, by the system's sha256sum.
    static func sha256(_ text: String) async throws -> String {
        let digest = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["sha256sum"], stdin: Data(text.utf8)).stdout
        return String(digest.prefix(64))
    }

    /// The local addresses (hex, as /proc/net/tcp writes them) of the sockets listening on `port`.
    static func listeningAddresses(port: Int) throws -> [String] {
        let table = try String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) + (try String(contentsOfFile: "/proc/net/tcp6", encoding: .utf8))
        let portHex = String(format: "%04X", port)
        return table.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 3, fields[3] == "0A" else { return nil }  // 0A: LISTEN
            let local = fields[1].split(separator: ":")
            return local.count == 2 && local[1] == portHex ? String(local[0]) : nil
        }
    }
}
