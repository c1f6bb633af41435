import Foundation
import Testing

/// Issue 24's API items against the real `ocrchat serve` on loopback, with curl, Werkzeug's
/// header parser and Python's sqlite3 as the clients: `Content-Disposition` in UTF-8, `download/` without
/// a format, `"dpi": null`, `charset=utf-8` on errors, `DELETE` of a job, and `eta_seconds`.
@Suite("ocrchat serve: the API extras of issue 24, live", .serialized, .oneMachineSlot)
struct APIExtrasTests {
    /// Runs curl with `-D` and returns the status, the response headers (lowercased names) and the body.
    static func request(_ server: ServerProcess, _ arguments: [String]) async throws -> (Int, [String: String], Data) {
        let headerFile = FileManager.default.temporaryDirectory.appendingPathComponent("headers-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: headerFile) }
        let (status, body) = try await server.http(["-D", headerFile.path] + arguments)
        var headers: [String: String] = [:]
        for line in (try? String(contentsOf: headerFile, encoding: .isoLatin1))?.components(separatedBy: "\r\n") ?? [] {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers, body)
    }

    static func json(_ data: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    /// Runs a Python snippet with `arguments`; returns its exit status and stdout.
    static func python(_ code: String, _ arguments: [String]) async throws -> (Int32, String) {
        let run = try await ChildProcess.run("python3", ["-c", code] + arguments)
        return (run.status, run.stdout + run.stderr)
    }

    @Test("a UTF-8 file name comes back whole through filename*, beside an ASCII filename; no format is the job; dpi null; errors say charset=utf-8")
    func smallFixes() async throws {
        let folder = Live.temporaryFolder("api-extras")
        let server = try await ServerProcess(dataFolder: folder, arguments: ["--metering", "off"])
        let named = folder.appendingPathComponent("Rechnung März (2).png")
        try FileManager.default.copyItem(atPath: ConvertCommandTests.sample("phototest.png"), toPath: named.path)
        let (status, _, body) = try await Self.request(server, ["-F", "file=@\(named.path)", "\(server.baseURL)/api/v1/ocr/"])
        #expect(status == 200, "\(String(decoding: body, as: UTF8.self))")
        let job = Self.json(body)
        let uuid = try #require(job["uuid"] as? String)

        // phototest.png has no resolution tag: its page says so with null, not a resolution of 0.
        let page = try #require((job["pages"] as? [[String: Any]])?.first)
        #expect(page.keys.contains("dpi"))
        #expect(page["dpi"] is NSNull, "\(page["dpi"] ?? "missing")")
        let tagged = try await Live.upload(server, "hostile-text.png").1
        #expect((tagged["pages"] as? [[String: Any]])?.first?["dpi"] as? Int == 300)

        let (downloaded, headers, docx) = try await Self.request(server, ["\(server.baseURL)/api/v1/ocr/\(uuid)/download/?format=docx"])
        #expect(downloaded == 200)
        #expect(docx.starts(with: Data("PK".utf8)))
        let disposition = try #require(headers["content-disposition"])
        #expect(disposition == "attachment; filename=\"Rechnung Marz (2).docx\"; filename*=UTF-8''Rechnung%20M%C3%A4rz%20%282%29.docx")
        // A real consumer of the header: Werkzeug's parser (RFC 6266: filename* wins) gets the name back whole.
        let (parsed, name) = try await Self.python("""
            import sys
            from werkzeug.http import parse_options_header
            print(parse_options_header(sys.argv[1])[1]["filename"])
            """, [disposition])
        #expect(parsed == 0)
        #expect(name.trimmingCharacters(in: .newlines) == "Rechnung März (2).docx")
        // An ASCII name keeps the plain form.
        let ascii = try await Live.upload(server, "phototest.png").1["uuid"] as? String ?? ""
        #expect(try await Self.request(server, ["\(server.baseURL)/api/v1/ocr/\(ascii)/download/?format=txt"]).1["content-disposition"]
                == "attachment; filename=\"phototest.txt\"")

        // download/ without a format: the job object, as format=json gives it.
        let (plain, plainHeaders, plainBody) = try await Self.request(server, ["\(server.baseURL)/api/v1/ocr/\(uuid)/download/"])
        #expect(plain == 200)
        #expect(plainHeaders["content-type"]?.hasPrefix("application/json") == true)
        #expect(Self.json(plainBody)["uuid"] as? String == uuid)
        #expect((Self.json(plainBody)["text"] as? String)?.contains("quick brown dog") == true)
        #expect(try await Self.request(server, ["\(server.baseURL)/api/v1/ocr/\(uuid)/download/?format=xlsx"]).0 == 400)

        // Errors, from the router and from the HTTP layer below it, say their charset.
        for arguments in [["\(server.baseURL)/api/v1/ocr/\(UUID().uuidString.lowercased())/"],
                          ["\(server.baseURL)/api/v1/ocr/\(uuid)/download/?format=xlsx"],
                          ["-H", "Content-Length: -1", "--data-binary", "x", "\(server.baseURL)/api/v1/ocr/"]] {
            let (code, errorHeaders, errorBody) = try await Self.request(server, arguments)
            #expect([400, 404].contains(code))
            #expect(errorHeaders["content-type"] == "application/json; charset=utf-8", "\(arguments): \(errorHeaders)")
            #expect(Self.json(errorBody)["error"] is String)
        }
    }

    @Test("DELETE: the owner's job loses its results, pictures and conversations at once; anyone else gets 404, and so does a second delete")
    func deleteJob() async throws {
        let folder = Live.temporaryFolder("api-delete")
        let server = try await ServerProcess(dataFolder: folder)
        let owner = try await Live.paidToken("owner", credits: 100, in: folder)
        let stranger = try await Live.paidToken("stranger", credits: 100, in: folder)
        let (status, job) = try await Live.upload(server, "phototest.png", token: owner)
        #expect(status == 200)
        let uuid = try #require(job["uuid"] as? String)
        let (asked, _) = try await server.http(["-X", "POST", "-H", "Authorization: Bearer \(owner)", "-H", "Content-Type: application/json",
                                          "--data", #"{"message": "What is the text about?"}"#, "\(server.baseURL)/api/v1/chat/\(uuid)/"])
        #expect(asked == 200)
        let jobFiles = { Live.files("results", of: folder).filter { $0.hasPrefix(uuid) } }
        #expect(jobFiles() == ["\(uuid).json", "\(uuid).pages", "\(uuid).pdf", "\(uuid).reading.json"])
        let rows = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            print(*[db.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (sys.argv[2],)).fetchone()[0]
                    for table, column in [("job", "uuid"), ("conversation", "job_uuid"), ("message", "job_uuid")]])
            """
        let database = folder.appendingPathComponent("ocrchat.sqlite").path
        #expect(try await Self.python(rows, [database, uuid]).1.trimmingCharacters(in: .newlines) == "1 1 2")

        let url = "\(server.baseURL)/api/v1/ocr/\(uuid)/"
        #expect(try await server.http(["-X", "DELETE", url]).0 == 404, "anonymous")
        #expect(try await server.http(["-X", "DELETE", "-H", "Authorization: Bearer \(stranger)", url]).0 == 404, "another account")
        #expect(try await server.http(["-X", "DELETE", "-H", "Authorization: Bearer bogus", url]).0 == 401)
        #expect(try await server.http(["-H", "Authorization: Bearer \(owner)", url]).0 == 200, "still there for its owner")

        let (deleted, body) = try await server.http(["-X", "DELETE", "-H", "Authorization: Bearer \(owner)", url])
        #expect(deleted == 204)
        #expect(body.isEmpty)
        #expect(jobFiles().isEmpty, "results, searchable PDF and page pictures are gone now")
        #expect(try await Self.python(rows, [database, uuid]).1.trimmingCharacters(in: .newlines) == "0 0 0")
        #expect(try await server.http(["-H", "Authorization: Bearer \(owner)", url]).0 == 404)
        #expect(try await server.http(["-H", "Authorization: Bearer \(owner)", "\(url)download/?format=txt"]).0 == 404)
        #expect(try await server.http(["-X", "DELETE", "-H", "Authorization: Bearer \(owner)", url]).0 == 404, "a second delete")
        #expect(try await server.http(["-X", "DELETE", "\(server.baseURL)/api/v1/ocr/not-a-uuid/"]).0 == 404)

        // An anonymous job is its address's: an anonymous caller from there deletes it (without the slash too).
        let anonymous = try #require(try await Live.upload(server, "phototest.png").1["uuid"] as? String)
        #expect(try await server.http(["-X", "DELETE", "-H", "Authorization: Bearer \(owner)", "\(server.baseURL)/api/v1/ocr/\(anonymous)"]).0 == 404)
        #expect(try await server.http(["-X", "DELETE", "\(server.baseURL)/api/v1/ocr/\(anonymous)"]).0 == 204)
        #expect(Live.files("results", of: folder).filter { $0.hasPrefix(anonymous) }.isEmpty)
        #expect(try await server.http(["\(server.baseURL)/api/v1/ocr/\(anonymous)/"]).0 == 404)
        #expect(Live.files("uploads", of: folder).isEmpty)
    }

    @Test("a queued job's eta_seconds: null until a page is done, then seconds from the pace so far, 0 when done")
    func etaSeconds() async throws {
        let server = try await ServerProcess(dataFolder: Live.temporaryFolder("api-eta"), arguments: ["--metering", "off"])
        let (status, job) = try await Live.upload(server, "report-10pages.pdf")
        #expect(status == 200)
        let uuid = try #require(job["uuid"] as? String)
        #expect(job.keys.contains("eta_seconds"))
        #expect(job["eta_seconds"] is NSNull, "nothing done yet")
        var estimates: [Int] = []  // while pages are left
        var final: [String: Any] = [:]
        let deadline = Date().addingTimeInterval(180)
        while Date() < deadline {
            final = try await server.json("/api/v1/ocr/\(uuid)/")
            let done = final["pages_done"] as? Int ?? 0
            if final["status"] as? String == "done" || final["status"] as? String == "failed" { break }
            if done == 0 {
                #expect(final["eta_seconds"] is NSNull, "\(final["status"] ?? "") with no page done")
            } else if let eta = final["eta_seconds"] as? Int {
                if done < 10 {
                    estimates.append(eta)
                    #expect(eta >= 1 && eta < 600, "\(done) of 10 pages done: \(eta) s left")
                } else {
                    #expect(eta == 0, "every page read, the searchable PDF being made: \(eta) s left")
                }
            } else {
                Issue.record("a page is done but eta_seconds is \(final["eta_seconds"] ?? "missing")")
            }
            try await Task.sleep(for: .seconds(0.1))
        }
        #expect(final["status"] as? String == "done")
        #expect(final["eta_seconds"] as? Int == 0)
        #expect(!estimates.isEmpty, "seen while it ran")
    }

    @Test("DELETE of a job being read: gone at once, and what its reading makes afterwards is removed when it ends")
    func deleteWhileReading() async throws {
        let folder = Live.temporaryFolder("api-delete-running")
        let server = try await ServerProcess(dataFolder: folder, arguments: ["--metering", "off"])
        let (status, job) = try await Live.upload(server, "report-10pages.pdf")
        #expect(status == 200)
        let uuid = try #require(job["uuid"] as? String)
        let reading = try await Live.waitUntil(seconds: 60) {
            let polled = try await server.json("/api/v1/ocr/\(uuid)/")
            return polled["status"] as? String == "processing" && (polled["pages_done"] as? Int ?? 0) >= 1
        }
        #expect(reading, "the job was seen being read")
        #expect(try await server.http(["-X", "DELETE", "\(server.baseURL)/api/v1/ocr/\(uuid)/"]).0 == 204)
        #expect(try await server.http(["\(server.baseURL)/api/v1/ocr/\(uuid)/"]).0 == 404)
        #expect(Live.files("uploads", of: folder).isEmpty, "the upload is gone at once")
        // The reading ends on its own (10 pages); then nothing of the job is left in the data folder.
        let cleaned = await Live.waitUntil(seconds: 90) {
            server.log.contains("job deleted while it was read") && Live.files("results", of: folder).filter { $0.hasPrefix(uuid) }.isEmpty
        }
        #expect(cleaned, "results left: \(Live.files("results", of: folder)); log: \(server.log.suffix(2000))")
        #expect(try await server.http(["\(server.baseURL)/healthz"]).0 == 200)
    }

    @Test("pages= reads and charges only the pages asked for; mode=force reads pages over their own text; bad values are a 400")
    func pagesAndMode() async throws {
        let folder = Live.temporaryFolder("api-pages")
        let server = try await ServerProcess(dataFolder: folder)
        let token = try await Live.paidToken("pages", credits: 10, in: folder)
        let (status, second) = try await Live.upload(server, "born-digital-2pages.pdf", token: token, extra: ["-F", "pages=2"])
        #expect(status == 200, "\(second)")
        #expect(second["page_count"] as? Int == 1)
        let page = try #require((second["pages"] as? [[String: Any]])?.first)
        #expect(page["index"] as? Int == 1 && page["source"] as? String == "text-layer")
        #expect((second["text"] as? String)?.hasPrefix("Outlook for the coming year") == true)
        #expect(try await Live.creditsUsed("pages", in: folder) == 1, "one page asked for, one credit")

        let (_, forced) = try await Live.upload(server, "born-digital-2pages.pdf", token: token, extra: ["-F", "mode=force"])
        #expect((forced["pages"] as? [[String: Any]])?.map { $0["source"] as? String } == ["ocr", "ocr"])
        #expect((forced["text"] as? String)?.contains("Quarterly report") == true)
        let uuid = try #require(forced["uuid"] as? String)
        let (pdf, _, reason) = try await Self.request(server, ["-H", "Authorization: Bearer \(token)",
                                                               "\(server.baseURL)/api/v1/ocr/\(uuid)/download/?format=pdf"])
        #expect(pdf == 409)
        #expect(String(decoding: reason, as: UTF8.self).contains("mode=force"))
        #expect(try await Live.creditsUsed("pages", in: folder) == 3)
        // An image has no text of its own: mode=force changes nothing, and its searchable PDF is made.
        let (_, image) = try await Live.upload(server, "phototest.png", token: token, extra: ["-F", "mode=force"])
        let imageJob = try #require(image["uuid"] as? String)
        let (imagePDF, _, imageBytes) = try await Self.request(server, ["-H", "Authorization: Bearer \(token)",
                                                                         "\(server.baseURL)/api/v1/ocr/\(imageJob)/download/?format=pdf"])
        #expect(imagePDF == 200 && imageBytes.starts(with: Data("%PDF".utf8)))

        for (field, message) in [("pages=0", "counted from 1"), ("pages=3", "has 2 pages"), ("pages=2-1", "later one"), ("mode=ocr", "unknown mode")] {
            let (code, answer) = try await Live.upload(server, "born-digital-2pages.pdf", token: token, extra: ["-F", field])
            #expect(code == 400, "\(field)")
            #expect((answer["error"] as? String)?.contains(message) == true, "\(field): \(answer)")
        }
        #expect(try await Live.creditsUsed("pages", in: folder) == 4, "a refused upload costs nothing")
    }
}
