import Foundation
import Testing

/// The web page in a real browser (Debian's headless Chromium driven by Selenium) against the real
/// `ocrchat serve` on loopback, and its safety rules checked over HTTP. Screenshots of every step
/// land in `.build/web-screenshots/` (or `$OCRCHAT_SCREENSHOTS`).
@Suite("the web page, live in Chromium", .serialized, .oneMachineSlot)
struct WebPageTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Web/web_page_test.py")
    static let screenshots = ProcessInfo.processInfo.environment["OCRCHAT_SCREENSHOTS"]
        ?? ConvertCommandTests.root.appendingPathComponent(".build/web-screenshots").path

    private func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-web-\(UUID().uuidString)", isDirectory: true)
    }

    /// Chromium, its driver and Selenium, or a failure that says how to get them.
    private func requireBrowser() async throws {
        for tool in ["chromium", "chromedriver"] {
            let (status, _, _) = try await Self.run("sh", ["-c", "command -v \(tool)"])
            if status != 0 { throw ServerError("\(tool) is missing: run `make setup` (Debian packages chromium, chromium-driver)") }
        }
        let (status, _, _) = try await Self.run("python3", ["-c", "import selenium"])
        if status != 0 { throw ServerError("Selenium is missing: run `make setup` (PyPI selenium)") }
    }

    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) async throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        if let directory { process.currentDirectoryURL = directory }
        process.arguments = [executable] + arguments
        // stderr goes to a file, so that neither stream can fill up and block the process.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errorFile)
        let (status, stdoutData) = try await ChildProcess.output(of: process, through: out)
        let stderr = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        return (status, String(decoding: stdoutData, as: UTF8.self), stderr)
    }

    private func createToken(_ folder: URL, name: String = "office") async throws -> String {
        let create = try await ConvertCommandTests.ocrchat(["token", "create", "--name", name, "--data", folder.path])
        #expect(create.status == 0, "\(create.stderr)")
        return create.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs one step of the browser script; returns its output, or cancels the test when it skipped.
    @discardableResult
    private func browserStep(_ step: String, server: ServerProcess, token: String? = nil) async throws -> String {
        try await requireBrowser()
        var arguments = [Self.script.path, server.baseURL, step, "--samples", ConvertCommandTests.samples.path,
                         "--screenshots", Self.screenshots]
        if let token { arguments += ["--token", token] }
        let (status, stdout, stderr) = try await Self.run("python3", arguments)
        if status == 3 {
            let reason = stdout.split(separator: "\n").first { $0.hasPrefix("SKIP") }.map(String.init) ?? "skipped"
            try Test.cancel(Comment(rawValue: reason))
        }
        #expect(status == 0, "browser step \(step) failed:\n\(stderr)\n\(stdout)\nserver log:\n\(server.log.suffix(3000))")
        return stdout
    }

    @Test("sign in, upload a scan, read its text and Markdown, see the word boxes, download the PDF")
    func convertInTheBrowser() async throws {
        let folder = temporaryFolder()
        let token = try await createToken(folder)
        let server = try await ServerProcess(dataFolder: folder)
        let output = try await browserStep("convert", server: server, token: token)
        #expect(output.contains("download: phototest.pdf"))
        #expect(!server.log.contains(token), "the token never reaches the log (so never a URL)")
    }

    @Test("a scan that reads <img src=x onerror=alert(1)> shows those characters and runs nothing")
    func hostileTextStaysText() async throws {
        let server = try await ServerProcess(dataFolder: temporaryFolder())
        try await browserStep("hostile", server: server)
    }

    @Test("a question about a scan is answered with a link to the cited page")
    func chatWithCitations() async throws {
        let folder = temporaryFolder()
        let token = try await createToken(folder)
        let server = try await ServerProcess(dataFolder: folder)
        try await browserStep("chat", server: server, token: token)
    }

    @Test("a 200-page job shows its progress and renders its pages lazily")
    func longJob() async throws {
        let server = try await ServerProcess(dataFolder: temporaryFolder())
        try await browserStep("long-job", server: server)
    }

    @Test("two files at once and a dropped one; at a phone's width nothing overflows, low-confidence words are marked; labels; Tab order")
    func phoneWidthAndKeyboard() async throws {
        let server = try await ServerProcess(dataFolder: temporaryFolder())
        try await browserStep("layout", server: server)
    }

    @Test("serve --single-user: the page signs in as the local account on loopback, and only there")
    func singleUserMode() async throws {
        let folder = temporaryFolder()
        let server = try await ServerProcess(dataFolder: folder, arguments: ["--single-user"])
        let tokenFile = folder.appendingPathComponent("single-user.token")
        let token = try String(contentsOf: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let permissions = try FileManager.default.attributesOfItem(atPath: tokenFile.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600, "the token file is readable by its owner only")
        #expect(try await server.http(["\(server.baseURL)/api/v1/local-token/"]).0 == 200)
        // A page whose host name was rebound to 127.0.0.1 names another host: it gets nothing.
        #expect(try await server.http(["-H", "Host: evil.example:\(server.port)", "\(server.baseURL)/api/v1/local-token/"]).0 == 404)
        try await browserStep("single-user", server: server, token: token)

        // The same token after a restart: scripts on the workstation can keep using it.
        #expect(await server.terminate(within: 20) == 0)
        let again = try await ServerProcess(dataFolder: folder, arguments: ["--single-user"], port: server.port)
        #expect(try await again.json("/api/v1/local-token/")["token"] as? String == token)

        let open = try await ConvertCommandTests.ocrchat(["serve", "--single-user", "--host", "0.0.0.0", "--port", "1",
                                                    "--data", temporaryFolder().path])
        #expect(open.status != 0)
        #expect(open.stderr.contains("only listens on loopback"), "\(open.stderr)")
        let plain = try await ServerProcess(dataFolder: temporaryFolder())
        #expect(try await plain.http(["\(plain.baseURL)/api/v1/local-token/"]).0 == 404)
    }

    @Test("every response carries the content security policy, nosniff and no framing; the page loads nothing remote")
    func securityHeadersAndNoRemoteSources() async throws {
        let server = try await ServerProcess(dataFolder: temporaryFolder())
        let pages = ["/", "/account", "/api/docs"]
        let files = ["app.css", "common.js", "markdown.js", "app.js", "account.js", "docs.js"]
        let staticPaths = files.map { "/static/\($0)" }
        for path in pages + staticPaths + ["/api/v1/openapi.json", "/healthz", "/api/v1/ocr/nope/"] {
            let (status, headers) = try await Self.headers(server, path)
            #expect(status == (path.hasSuffix("nope/") ? 404 : 200), "\(path)")
            #expect(headers["content-security-policy"]?.contains("default-src 'self'") == true, "\(path)")
            #expect(headers["content-security-policy"]?.contains("frame-ancestors 'none'") == true, "\(path)")
            #expect(headers["content-security-policy"]?.contains("unsafe-inline") == false, "\(path)")
            #expect(headers["x-content-type-options"] == "nosniff", "\(path)")
        }
        for path in pages {
            let html = String(decoding: try await server.http(["\(server.baseURL)\(path)"]).1, as: UTF8.self)
            #expect(!html.contains("<script>") && !html.contains("<style") && !html.contains(" style="), "no inline script or style in \(path)")
            #expect(html.range(of: #" on[a-z]+="#, options: .regularExpression) == nil, "no inline handlers in \(path)")
            #expect(html.range(of: #"(src|href)="(https?:)?//"#, options: .regularExpression) == nil, "nothing remote in \(path)")
        }
        for file in files {
            let text = String(decoding: try await server.http(["\(server.baseURL)/static/\(file)"]).1, as: UTF8.self)
            #expect(!text.contains("innerHTML") && !text.contains("insertAdjacentHTML") && !text.contains("document.write"),
                    "\(file) never parses text as HTML")
            #expect(!text.contains("api_token"), "\(file) never puts the token in a URL")
            #expect(!text.contains("@import") && !text.contains("url("), "\(file) fetches nothing")
        }
        let (status, headers) = try await Self.headers(server, "/static/app.js")
        #expect(status == 200 && headers["content-type"]?.hasPrefix("text/javascript") == true)
        let etag = try #require(headers["etag"])
        #expect(try await server.http(["-H", "If-None-Match: \(etag)", "\(server.baseURL)/static/app.js"]).0 == 304)
    }

    @Test("the extras: an account's job list, its page pictures, its account; no one else's")
    func extraRoutes() async throws {
        let folder = temporaryFolder()
        let token = try await createToken(folder)
        let other = try await createToken(folder, name: "someone else")
        let server = try await ServerProcess(dataFolder: folder)
        let (status, body) = try await server.http(["-F", "file=@\(ConvertCommandTests.sample("scanned-2pages.pdf"))",
                                              "-H", "Authorization: Bearer \(token)", "\(server.baseURL)/api/v1/ocr/"])
        #expect(status == 200)
        let job = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let uuid = try #require(job["uuid"] as? String)
        let pages = try #require(job["pages"] as? [[String: Any]])

        let list = try await server.json("/api/v1/ocr/", token: token)["jobs"] as? [[String: Any]] ?? []
        #expect(list.map { $0["uuid"] as? String } == [uuid])
        #expect(list.first?["file_name"] as? String == "scanned-2pages.pdf")
        #expect((try await server.json("/api/v1/ocr/", token: other)["jobs"] as? [Any])?.isEmpty == true)
        #expect(try await server.http(["\(server.baseURL)/api/v1/ocr/"]).0 == 401)

        // A PDF's pictures are made when first asked for, from its searchable PDF: the job was done
        // without them (and the first answer keeps the picture for the next).
        let pictures = folder.appendingPathComponent("results/\(uuid).pages")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: pictures.path)) ?? []).isEmpty)
        for page in pages {
            let index = page["index"] as? Int ?? -1
            let image = FileManager.default.temporaryDirectory.appendingPathComponent("page-\(UUID().uuidString).jpg")
            defer { try? FileManager.default.removeItem(at: image) }
            let (code, jpeg) = try await server.http(["-H", "Authorization: Bearer \(token)",
                                                "\(server.baseURL)/api/v1/ocr/\(uuid)/pages/\(index)/image/"])
            #expect(code == 200)
            #expect(jpeg.prefix(3) == Data([0xFF, 0xD8, 0xFF]), "a JPEG")
            try jpeg.write(to: image)
            // The picture has the page's shape, so the word boxes scale onto it.
            let (_, size, _) = try await Self.run("python3", ["-c", "from PIL import Image; import sys; print(*Image.open(sys.argv[1]).size)", image.path])
            let dimensions = size.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            let width = Double(page["width"] as? Int ?? 0), height = Double(page["height"] as? Int ?? 0)
            #expect(dimensions.count == 2 && max(dimensions[0], dimensions[1]) <= 1400)
            if dimensions.count == 2 {
                #expect(abs(dimensions[0] / dimensions[1] - width / height) < 0.01, "\(dimensions) for \(width)×\(height)")
            }
        }
        #expect(FileManager.default.fileExists(atPath: pictures.appendingPathComponent("1.jpg").path))
        // An encrypted PDF's searchable PDF needs the password, which is not kept: its pictures are
        // made with the job (someone else's upload, so that this account's allowance below is its two pages).
        let (lockedStatus, lockedBody) = try await server.http(["-F", "file=@\(ConvertCommandTests.sample("encrypted-openpassword.pdf"))",
                                                          "-F", "password=openpassword", "-H", "Authorization: Bearer \(other)",
                                                          "\(server.baseURL)/api/v1/ocr/"])
        #expect(lockedStatus == 200, "\(String(decoding: lockedBody, as: UTF8.self))")
        let locked = try #require(try JSONSerialization.jsonObject(with: lockedBody) as? [String: Any])["uuid"] as? String
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("results/\(locked ?? "").pages/0.jpg").path))
        #expect(try await server.http(["-H", "Authorization: Bearer \(other)", "\(server.baseURL)/api/v1/ocr/\(locked ?? "")/pages/0/image/"]).0 == 200)
        #expect(try await server.http(["-H", "Authorization: Bearer \(token)", "\(server.baseURL)/api/v1/ocr/\(uuid)/pages/2/image/"]).0 == 404)
        #expect(try await server.http(["-H", "Authorization: Bearer \(other)", "\(server.baseURL)/api/v1/ocr/\(uuid)/pages/0/image/"]).0 == 404)

        let account = try await server.json("/api/v1/account/", token: token)
        #expect(account["name"] as? String == "office")
        #expect(account["plan"] as? String == "free")
        let allowance = try #require(account["allowance"] as? [String: Any])
        #expect(allowance["used"] as? Int == 2, "the two pages of the scan were counted")
        #expect(allowance["cap"] as? Int == 10_000)
        #expect(try await server.http(["\(server.baseURL)/api/v1/account/"]).0 == 401)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("uploads/\(uuid).upload").path),
                "the upload itself is still deleted once processed")
    }

    /// Status and lower-cased headers of a GET.
    static func headers(_ server: ServerProcess, _ path: String) async throws -> (Int, [String: String]) {
        let dump = FileManager.default.temporaryDirectory.appendingPathComponent("headers-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dump) }
        let (status, _) = try await server.http(["-D", dump.path, "\(server.baseURL)\(path)"])
        var headers: [String: String] = [:]
        for line in (try? String(contentsOf: dump, encoding: .utf8))?.split(separator: "\r\n") ?? [] {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return (status, headers)
    }
}
