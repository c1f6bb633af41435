import Foundation
import Testing

/// Clients that misbehave on purpose, against the real `ocrchat serve` (issue 25): bodies sent a
/// byte at a time, one account reading another's chats on an anonymous job, secrets looked for
/// in the data folder, and requests the HTTP parser refuses, sent over raw sockets.
@Suite("Hostile clients against the live server", .serialized, .oneMachineSlot)
struct HostileClientTests {
    @Test("64 uploads trickling from one address: 56 are refused at once, 8 are closed with a 408 after the grace period, and real uploads get through within 30 s")
    func tricklingUploads() async throws {
        let folder = Live.temporaryFolder("hostile")
        try Live.writeConfig(#"{"upload_grace_seconds": 4, "min_upload_kib_per_second": 1}"#, in: folder)
        let token = try await Live.paidToken("alice", credits: 100, in: folder)
        let server = try await ServerProcess(dataFolder: folder)
        let upload = try Self.photoUpload()
        let started = Date()
        var trickling: [RawConnection] = []
        for _ in 0..<64 {
            let connection = try RawConnection(port: server.port)
            connection.send(upload.head(port: server.port))
            connection.send(upload.body.prefix(1))
            trickling.append(connection)
        }
        var answers = [Data](repeating: Data(), count: trickling.count)
        var closed = [Bool](repeating: false, count: trickling.count)
        func collect() {
            for (index, connection) in trickling.enumerated() where !closed[index] {
                let (data, isClosed) = connection.available()
                answers[index] += data
                closed[index] = isClosed
            }
        }
        // Past the address's 8 slots an upload is answered at once, before its body is read.
        await Live.waitUntil(seconds: 10) {
            collect()
            return answers.filter { !$0.isEmpty }.count >= 56
        }
        let refused = answers.map { String(decoding: $0, as: UTF8.self) }.filter { $0.hasPrefix("HTTP/1.1 503") }
        #expect(refused.count == 56)
        #expect(refused.allSatisfy { $0.contains("from this address") && $0.lowercased().contains("retry-after: 5") })

        // Meanwhile an account's upload, and an anonymous one from another address, are served.
        let real = Date()
        let (status, job) = try await Live.upload(server, "phototest.png", token: token)
        #expect(status == 200)
        #expect((job["text"] as? String)?.contains("quick brown") == true)
        let neighbour = try RawConnection(port: server.port, from: "127.0.0.2")
        neighbour.send(upload.head(port: server.port, extraHeaders: "Connection: close\r\n"))
        neighbour.send(upload.body)
        let answer = String(decoding: await neighbour.receive(seconds: 30), as: UTF8.self)
        #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer.prefix(300))")
        #expect(answer.contains("quick brown"))
        #expect(Date().timeIntervalSince(real) < 30)

        // A byte every half second is far below 1 KiB/s: past the 4 s grace every one is closed.
        var sent = 1
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, closed.contains(false) {
            for (index, connection) in trickling.enumerated() where !closed[index] {
                connection.send(upload.body.subdata(in: sent..<(sent + 1)))
            }
            sent += 1
            try await Task.sleep(for: .seconds(0.5))
            collect()
        }
        #expect(!closed.contains(false), "every trickling connection was closed by the server")
        #expect(Date().timeIntervalSince(started) < 40)
        let timedOut = answers.map { String(decoding: $0, as: UTF8.self) }.filter { $0.hasPrefix("HTTP/1.1 408") }
        #expect(timedOut.count == 8)
        for text in timedOut {
            let body = try Self.jsonBody(of: text)
            #expect((body["error"] as? String)?.contains("too slow") == true, "\(text)")
        }
        #expect(await Live.waitUntil(seconds: 10) { Live.files("uploads", of: folder).isEmpty }, "no half upload stays")
        #expect(try await server.json("/healthz")["status"] as? String == "ok")
    }

    @Test("a body that keeps a good pace but takes longer than max_upload_seconds is closed with a 408")
    func uploadDeadline() async throws {
        let folder = Live.temporaryFolder("hostile")
        try Live.writeConfig(#"{"max_upload_seconds": 3, "min_upload_kib_per_second": 0}"#, in: folder)
        let server = try await ServerProcess(dataFolder: folder)
        let upload = try Self.photoUpload()
        let connection = try RawConnection(port: server.port)
        connection.send(upload.head(port: server.port))
        let started = Date()
        var answer = Data()
        var offset = 0
        while Date().timeIntervalSince(started) < 15, offset < upload.body.count {
            connection.send(upload.body.subdata(in: offset..<min(offset + 64, upload.body.count - 1)))
            offset += 64
            try await Task.sleep(for: .seconds(0.1))
            let (data, closed) = connection.available()
            answer += data
            if closed { break }
        }
        let elapsed = Date().timeIntervalSince(started)
        let text = String(decoding: answer, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 408"), "\(text.prefix(300))")
        #expect((try Self.jsonBody(of: text)["error"] as? String)?.contains("longer than 3 s") == true)
        #expect(elapsed >= 2.9 && elapsed < 8, "closed at \(elapsed) s")
        #expect(await Live.waitUntil(seconds: 10) { Live.files("uploads", of: folder).isEmpty })
    }

    @Test("a conversation on an anonymous job belongs to the account that started it, in both directions")
    func chatsArePrivate() async throws {
        let folder = Live.temporaryFolder("hostile")
        let alice = try await Live.paidToken("alice", credits: 10, in: folder)
        let bob = try await Live.paidToken("bob", credits: 10, in: folder)
        let server = try await ServerProcess(dataFolder: folder)
        let uuid = try #require(try await Live.upload(server, "phototest.png").1["uuid"] as? String, "an anonymous job")
        func ask(_ token: String, _ message: String, conversation: String? = nil) async throws -> (Int, [String: Any]) {
            var body: [String: String] = ["message": message]
            if let conversation { body["conversation"] = conversation }
            let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
            let (status, data) = try await server.http(["-X", "POST", "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: application/json",
                                                  "--data", json, "\(server.baseURL)/api/v1/chat/\(uuid)/"])
            return (status, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
        }
        func history(_ token: String, _ query: String = "") async throws -> (conversations: [String], contents: [String]) {
            let held = try await server.json("/api/v1/chat/\(uuid)/history/\(query)", token: token)
            let messages = held["messages"] as? [[String: Any]] ?? []
            return (held["conversations"] as? [String] ?? [], messages.compactMap { $0["content"] as? String })
        }
        let (aliceStatus, aliceReply) = try await ask(alice, "What does the quick brown dog do?")
        #expect(aliceStatus == 200)
        let aliceConversation = try #require(aliceReply["conversation"] as? String)
        let (bobStatus, bobReply) = try await ask(bob, "How many points is the type?")
        #expect(bobStatus == 200)
        let bobConversation = try #require(bobReply["conversation"] as? String)

        // Each sees only their own conversation, even when asking for the other's by id.
        #expect(try await history(alice).conversations == [aliceConversation])
        #expect(try await history(alice).contents.contains("What does the quick brown dog do?"))
        #expect(try await !history(alice).contents.contains("How many points is the type?"))
        #expect(try await history(bob).conversations == [bobConversation])
        #expect(try await !history(bob).contents.contains("What does the quick brown dog do?"))
        #expect(try await history(bob, "?conversation=\(aliceConversation)").contents.isEmpty)
        #expect(try await history(alice, "?conversation=\(bobConversation)").contents.isEmpty)
        // Neither can go on with the other's conversation; each can go on with their own.
        #expect(try await ask(bob, "And the fox?", conversation: aliceConversation).0 == 404)
        #expect(try await ask(alice, "And the fox?", conversation: bobConversation).0 == 404)
        let (again, more) = try await ask(alice, "And the fox?", conversation: aliceConversation)
        #expect(again == 200 && more["conversation"] as? String == aliceConversation)
        #expect(try await history(alice).contents.count == 4)
        #expect(try await history(bob).contents.count == 2)
    }

    @Test("a PDF password is never in the data folder in clear, inline or queued; purged chat text leaves the database and its WAL")
    func nothingSecretOnDisk() async throws {
        let password = "openpassword"
        // Inline (≤ 5 pages, read within the request): the password never leaves memory.
        let inlineFolder = Live.temporaryFolder("hostile")
        let inline = try await ServerProcess(dataFolder: inlineFolder)
        let read = try await Self.uploadLocked(inline, password: password)
        #expect(read.0 == 200 && read.1["status"] as? String == "done")
        #expect(Self.filesHolding(password, in: inlineFolder).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: inlineFolder.appendingPathComponent("password.key").path))

        // Queued (every job, with inline_page_limit 0): sealed with a key kept beside the database.
        let folder = Live.temporaryFolder("hostile")
        try Live.writeConfig(#"{"inline_page_limit": 0}"#, in: folder)
        let token = try await Live.paidToken("alice", credits: 100, in: folder)
        // 0.003 h = 10.8 s of retention: the purge runs every second.
        let server = try await ServerProcess(dataFolder: folder, arguments: ["--retention-hours", "0.003"])
        let (status, queued) = try await Self.uploadLocked(server, password: password, token: token)
        #expect(status == 200 && queued["status"] as? String != "done", "queued: \(queued["status"] ?? "")")
        #expect(Self.filesHolding(password, in: folder).isEmpty, "not while the job waits")
        let key = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("password.key").path)
        #expect((key[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let uuid = try #require(queued["uuid"] as? String)
        let done = try await Live.waitForJob(server, uuid, token: token)
        #expect(done["status"] as? String == "done", "\(done["error"] ?? "")")
        #expect(!((done["text"] as? String) ?? "").isEmpty)
        #expect(Self.filesHolding(password, in: folder).isEmpty, "not once it is done")

        // A question only this chat holds: on disk while the job is kept (the scan does find text)…
        let marker = "Where is the quokka-saffron-8812 clause?"
        let asked = try await server.http(["-X", "POST", "-H", "Authorization: Bearer \(token)", "--data", #"{"message": "\#(marker)"}"#,
                                     "\(server.baseURL)/api/v1/chat/\(uuid)/"])
        #expect(asked.0 == 200)
        #expect(!Self.filesHolding(marker, in: folder).isEmpty, "the scan finds a chat that is still kept")
        // …and nowhere in the data folder (database, WAL, results) once the job is purged.
        #expect(await Live.waitUntil(seconds: 60) { (try? await server.http(["\(server.baseURL)/api/v1/ocr/\(uuid)/?api_token=\(token)"]).0) == 404 })
        #expect(await Live.waitUntil(seconds: 20) { Self.filesHolding(marker, in: folder).isEmpty }, "\(Self.filesHolding(marker, in: folder))")
        #expect(Self.filesHolding(password, in: folder).isEmpty)
    }

    @Test("a queued job's sealed password outlives a kill -9 and a restart; without the key file the job fails and says why")
    func sealedPasswordAfterRestart() async throws {
        let folder = Live.temporaryFolder("hostile")
        try Live.writeConfig(#"{"inline_page_limit": 0}"#, in: folder)
        let token = try await Live.paidToken("alice", credits: 100, in: folder)
        for keyKept in [true, false] {
            // Killed right after the job row (and its sealed password) is committed, before it is processed.
            let dying = try await ServerProcess(dataFolder: folder, environment: ["OCRCHAT_CRASH_AT": "job-stored"])
            #expect(try await Self.uploadLocked(dying, password: "openpassword", token: token).0 == 0, "killed before it answered")
            #expect(await dying.waitForExit(within: 10))
            #expect(Self.filesHolding("openpassword", in: folder).isEmpty)
            if !keyKept { try FileManager.default.removeItem(at: folder.appendingPathComponent("password.key")) }
            let server = try await ServerProcess(dataFolder: folder)
            let jobs = try await server.json("/api/v1/ocr/?limit=1", token: token)["jobs"] as? [[String: Any]] ?? []
            let uuid = try #require(jobs.first?["uuid"] as? String)
            let job = try await Live.waitForJob(server, uuid, token: token)
            if keyKept {
                #expect(job["status"] as? String == "done", "\(job["error"] ?? "")")
                #expect(!((job["text"] as? String) ?? "").isEmpty)
            } else {
                #expect(job["status"] as? String == "failed")
                #expect((job["error"] as? String)?.contains("password.key") == true, "\(job["error"] ?? "")")
            }
            await server.kill9()
        }
    }

    @Test("the HTTP layer's own errors are JSON and close the connection: headers over 80 KiB, bad, negative or duplicate Content-Length, Content-Length with chunked, a broken chunk")
    func framingErrorsAreJSON() async throws {
        let server = try await ServerProcess(dataFolder: Live.temporaryFolder("hostile"))
        let post = "POST /api/v1/ocr/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\n"
        let requests: [(String, String)] = [
            ("a 90 KiB header", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: \(String(repeating: "a", count: 90 << 10))\r\n\r\n"),
            ("a negative Content-Length", post + "Content-Length: -5\r\n\r\nhello"),
            ("a Content-Length that is not a number", post + "Content-Length: five\r\n\r\nhello"),
            ("a duplicate Content-Length", post + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello"),
            ("two different Content-Lengths", post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
            ("Content-Length with chunked", post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
            ("a broken chunk", post + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"),
        ]
        for (name, request) in requests {
            let connection = try RawConnection(port: server.port)
            connection.send(Data(request.utf8))
            let started = Date()
            let answer = String(decoding: await connection.receive(seconds: 15), as: UTF8.self)
            #expect(answer.hasPrefix("HTTP/1.1 400"), "\(name): \(answer.prefix(200))")
            let body = try Self.jsonBody(of: answer)
            #expect((body["error"] as? String)?.isEmpty == false, "\(name): \(answer.prefix(400))")
            #expect(Date().timeIntervalSince(started) < 10, "\(name): the connection is closed after the answer")
        }
        #expect(try await server.json("/healthz")["status"] as? String == "ok")
    }

    @Test("HEAD works where GET does; Connection: close and HTTP/1.0 close after the answer; a header token and a query token that disagree are a 400")
    func httpManners() async throws {
        let folder = Live.temporaryFolder("hostile")
        let alice = try await Live.paidToken("alice", credits: 10, in: folder)
        let bob = try await Live.paidToken("bob", credits: 10, in: folder)
        let server = try await ServerProcess(dataFolder: folder)
        // HEAD: the GET's headers, no body; the connection stays usable for the next request,
        // which asks for it to be closed and is.
        let connection = try RawConnection(port: server.port)
        connection.send(Data("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        var head = Data()
        await Live.waitUntil(seconds: 5) {
            head += connection.available().data
            return head.range(of: Data("\r\n\r\n".utf8)) != nil
        }
        try await Task.sleep(for: .seconds(0.3))
        head += connection.available().data
        let headText = String(decoding: head, as: UTF8.self)
        #expect(headText.hasPrefix("HTTP/1.1 200"), "\(headText)")
        #expect(headText.hasSuffix("\r\n\r\n"), "no body after the headers: \(headText)")
        #expect(headText.lowercased().contains("content-length: "))
        connection.send(Data("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
        let started = Date()
        let closing = String(decoding: await connection.receive(seconds: 15), as: UTF8.self)
        #expect(closing.hasPrefix("HTTP/1.1 200") && closing.contains(#""status":"ok""#), "\(closing)")
        #expect(closing.lowercased().contains("connection: close"))
        #expect(Date().timeIntervalSince(started) < 5, "closed after the answer, not by the idle timer")

        // HTTP/1.0 without keep-alive: answered, then closed.
        let old = try RawConnection(port: server.port)
        old.send(Data("GET /healthz HTTP/1.0\r\n\r\n".utf8))
        let oldStarted = Date()
        let oldAnswer = String(decoding: await old.receive(seconds: 15), as: UTF8.self)
        #expect(oldAnswer.contains(" 200 ") && oldAnswer.contains(#""status":"ok""#), "\(oldAnswer)")
        #expect(Date().timeIntervalSince(oldStarted) < 5)

        // HEAD on a job and its download: 200 and the length the GET's body has.
        let uuid = try #require(try await Live.upload(server, "phototest.png", token: alice).1["uuid"] as? String)
        for path in ["/api/v1/ocr/\(uuid)/", "/api/v1/ocr/\(uuid)/download/?format=txt", "/api/v1/ocr/\(uuid)/download/?format=pdf"] {
            let headers = folder.appendingPathComponent("head-\(UUID().uuidString)")
            let (code, _) = try await server.http(["-I", "-D", headers.path, "-H", "Authorization: Bearer \(alice)", server.baseURL + path])
            #expect(code == 200, "HEAD \(path)")
            let length = try String(contentsOf: headers, encoding: .utf8).split(separator: "\r\n")
                .first { $0.lowercased().hasPrefix("content-length:") }.flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }
            let (_, full) = try await server.http(["-H", "Authorization: Bearer \(alice)", server.baseURL + path])
            #expect(length == full.count, "HEAD \(path)")
        }

        // A token in the header and another in the query: which one was meant cannot be told.
        let job = "\(server.baseURL)/api/v1/ocr/\(uuid)/"
        let (mixed, answer) = try await server.http(["-H", "Authorization: Bearer \(alice)", "\(job)?api_token=\(bob)"])
        #expect(mixed == 400)
        #expect(((try? JSONSerialization.jsonObject(with: answer)) as? [String: Any])?["error"] as? String != nil)
        #expect(try await server.http(["-H", "Authorization: Bearer \(alice)", "\(job)?api_token=\(alice)"]).0 == 200)
    }

    @Test("a file name that is not UTF-8 is taken, cleaned; two file parts are a 400 that says to send one file")
    func awkwardMultipart() async throws {
        let folder = Live.temporaryFolder("hostile")
        let server = try await ServerProcess(dataFolder: folder)
        let image = try Data(contentsOf: URL(fileURLWithPath: ConvertCommandTests.sample("phototest.png")))
        // "résumé.png" in Latin-1, as an old Windows client sends it.
        var latin1 = Data("--\(HandMadeMultipart.boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r".utf8)
        latin1 += Data([0xE9]) + Data("sum".utf8) + Data([0xE9]) + Data(".png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
        latin1 += image + Data("\r\n--\(HandMadeMultipart.boundary)--\r\n".utf8)
        let (status, job) = try await Self.post(latin1, to: server, in: folder)
        #expect(status == 200, "\(job)")
        #expect(job["file_name"] as? String == "résumé.png")
        #expect((job["text"] as? String)?.contains("quick brown") == true)

        var twice = HandMadeMultipart(file: image, fileName: "one.png").body
        twice.removeLast(Data("--\r\n".utf8).count)
        twice += Data("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"two.png\"\r\n\r\n".utf8) + image
        twice += Data("\r\n--\(HandMadeMultipart.boundary)--\r\n".utf8)
        let (refused, answer) = try await Self.post(twice, to: server, in: folder)
        #expect(refused == 400)
        #expect((answer["error"] as? String)?.contains("one file") == true, "\(answer)")
        #expect(Live.files("uploads", of: folder).isEmpty)
    }

    /// Uploads the encrypted sample with its password, under a name that does not hold the password.
    static func uploadLocked(_ server: ServerProcess, password: String, token: String? = nil) async throws -> (Int, [String: Any]) {
        var arguments = ["-F", "file=@\(ConvertCommandTests.sample("encrypted-openpassword.pdf"));filename=locked.pdf",
                         "-F", "password=\(password)", "\(server.baseURL)/api/v1/ocr/"]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        let (status, body) = try await server.http(arguments)
        return (status, (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:])
    }

    /// phototest.png's upload, built by hand.
    static func photoUpload() throws -> HandMadeMultipart {
        HandMadeMultipart(file: try Data(contentsOf: URL(fileURLWithPath: ConvertCommandTests.sample("phototest.png"))), fileName: "photo.png")
    }

    /// POSTs a hand-made multipart body with curl; the status and the JSON answer.
    static func post(_ body: Data, to server: ServerProcess, in folder: URL) async throws -> (Int, [String: Any]) {
        let file = folder.appendingPathComponent("body-\(UUID().uuidString)")
        try body.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, data) = try await server.http(["-H", "Content-Type: multipart/form-data; boundary=\(HandMadeMultipart.boundary)",
                                              "--data-binary", "@\(file.path)", "\(server.baseURL)/api/v1/ocr/"])
        return (status, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }

    /// The JSON body of a raw HTTP answer (after its blank line).
    static func jsonBody(of answer: String) throws -> [String: Any] {
        let parts = answer.components(separatedBy: "\r\n\r\n")
        guard parts.count > 1, let object = try JSONSerialization.jsonObject(with: Data(parts[1].utf8)) as? [String: Any] else {
            throw ServerError("not a JSON answer: \(answer.prefix(300))")
        }
        return object
    }

    /// The files under `folder` (all of them: the database, its WAL, results, the log) whose bytes hold `text`.
    static func filesHolding(_ text: String, in folder: URL) -> [String] {
        let needle = Data(text.utf8)
        let paths = FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []
        return paths.filter { path in
            let data = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path) ?? Data()
            return data.range(of: needle) != nil
        }
    }
}
