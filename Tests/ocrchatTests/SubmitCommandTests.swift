import Foundation
import Testing

/// `ocrchat submit` against the real `ocrchat serve` on loopback: upload, poll and download, as an
/// office sends its scans to the machine that reads them.
@Suite("ocrchat submit: upload, poll and download from the command line", .serialized, .oneMachineSlot)
struct SubmitCommandTests {
    static func submit(_ arguments: [String], environment: [String: String] = [:]) async throws -> ConvertCommandTests.Run {
        var merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        merged.removeValue(forKey: "OCRCHAT_TOKEN")
        if let token = environment["OCRCHAT_TOKEN"] { merged["OCRCHAT_TOKEN"] = token }
        return try await ChildProcess.run(ConvertCommandTests.binary, ["submit"] + arguments, environment: merged)
    }

    @Test("a one-page image (read within the POST) and a ten-page PDF (polled) come back in every format asked for")
    func uploadPollDownload() async throws {
        let folder = Live.temporaryFolder("submit")
        let server = try await ServerProcess(dataFolder: folder.appendingPathComponent("data"), arguments: ["--metering", "off"])
        let out = folder.appendingPathComponent("out")
        let run = try await Self.submit(["--server", server.baseURL, "--format", "md,pdf,json", "--output", out.path,
                                   ConvertCommandTests.sample("phototest.png"), ConvertCommandTests.sample("report-10pages.pdf")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("2 converted"), "\(run.stderr)")
        #expect(Live.files("", of: out) == ["phototest.json", "phototest.md", "phototest.pdf",
                                            "report-10pages.json", "report-10pages.md", "report-10pages.pdf"])

        let markdown = try String(contentsOf: out.appendingPathComponent("phototest.md"), encoding: .utf8)
        #expect(markdown.contains("quick brown dog"), "\(markdown)")
        let job = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report-10pages.json")))
            as? [String: Any])
        #expect(job["status"] as? String == "done")
        #expect(job["page_count"] as? Int == 10)
        #expect((job["pages"] as? [Any])?.count == 10)
        // The searchable PDF's text layer, as pdftotext reads it.
        let text = try await ChildProcess.run("pdftotext", [out.appendingPathComponent("report-10pages.pdf").path, "-"])
        let truth = try String(contentsOfFile: ConvertCommandTests.sample("report-10pages.txt"), encoding: .utf8)
        let firstWords = truth.split(whereSeparator: \.isWhitespace).prefix(3).joined(separator: " ")
        #expect(text.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains(firstWords),
                "\(text.stdout.prefix(300))")
    }

    @Test("a file the server refuses, or that is missing, fails alone: the others are downloaded and the exit status is 1")
    func refusalsFailAlone() async throws {
        let folder = Live.temporaryFolder("submit-refused")
        let server = try await ServerProcess(dataFolder: folder.appendingPathComponent("data"), arguments: ["--metering", "off"])
        let out = folder.appendingPathComponent("out")
        let missing = folder.appendingPathComponent("missing.png").path
        let run = try await Self.submit(["--server", server.baseURL, "-o", out.path, "-f", "txt",
                                   ConvertCommandTests.sample("hostile-text.txt"), missing, ConvertCommandTests.sample("phototest.png")])
        #expect(run.status == 1)
        #expect(run.stderr.contains("hostile-text.txt: unsupported file type"), "\(run.stderr)")
        #expect(run.stderr.contains("(HTTP 400)"), "\(run.stderr)")
        #expect(run.stderr.contains("missing.png: no such file"), "\(run.stderr)")
        #expect(run.stderr.contains("1 converted"), "\(run.stderr)")
        #expect(Live.files("", of: out) == ["phototest.txt"])
    }

    @Test("the token from OCRCHAT_TOKEN is sent; an unknown one is a 401, a file over the balance a 402 with what was used")
    func tokensAndMetering() async throws {
        let folder = Live.temporaryFolder("submit-token")
        let data = folder.appendingPathComponent("data")
        let server = try await ServerProcess(dataFolder: data)
        let token = try await Live.paidToken("scanner", credits: 3, in: data)
        let out = folder.appendingPathComponent("out")
        let paid = try await Self.submit(["--server", server.baseURL, "-o", out.path, ConvertCommandTests.sample("phototest.png")],
                                   environment: ["OCRCHAT_TOKEN": token])
        #expect(paid.status == 0, "\(paid.stderr)")
        #expect(try await Live.creditsUsed("scanner", in: data) == 1)

        let over = try await Self.submit(["--server", server.baseURL, "-o", out.path, ConvertCommandTests.sample("report-10pages.pdf")],
                                   environment: ["OCRCHAT_TOKEN": token])
        #expect(over.status == 1)
        #expect(over.stderr.contains("(HTTP 402)"), "\(over.stderr)")
        #expect(over.stderr.contains("used 1 of"), "\(over.stderr)")
        #expect(try await Live.creditsUsed("scanner", in: data) == 1)

        let unknown = try await Self.submit(["--server", server.baseURL, "--token", "not-a-token", "-o", out.path,
                                       ConvertCommandTests.sample("phototest.png")])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("(HTTP 401)"), "\(unknown.stderr)")
    }

    @Test("no server: one clear line per file after the tries; bad options are refused before anything is sent")
    func noServerAndBadOptions() async throws {
        let folder = Live.temporaryFolder("submit-none")
        let port = try ServerProcess.freePort()
        let none = try await Self.submit(["--server", "http://127.0.0.1:\(port)", "--tries", "2", "-o", folder.path,
                                    ConvertCommandTests.sample("phototest.png")])
        #expect(none.status == 1)
        #expect(none.stderr.contains("cannot reach http://127.0.0.1:\(port)"), "\(none.stderr)")

        let format = try await Self.submit(["--server", "http://127.0.0.1:\(port)", "-f", "md,rtf", ConvertCommandTests.sample("phototest.png")])
        #expect(format.status == 64)
        #expect(format.stderr.contains("unknown format 'rtf'"), "\(format.stderr)")
        let scheme = try await Self.submit(["--server", "ftp://127.0.0.1/", ConvertCommandTests.sample("phototest.png")])
        #expect(scheme.status == 64)
        #expect(scheme.stderr.contains("not an http:// or https:// URL"), "\(scheme.stderr)")
    }

    /// The back-off alone, against a server that is busy once (a stand-in in Python: ocrchat serve
    /// answers 503 only when its database is away, which this layer's test does not need).
    @Test("a 503 with Retry-After is waited out and the upload is sent again")
    func busyServerIsRetried() async throws {
        let folder = Live.temporaryFolder("submit-busy")
        let port = try ServerProcess.freePort()
        let script = """
            import http.server, json, os, sys, threading
            threading.Timer(60, lambda: os._exit(0)).start()  # never outlives the test for long
            posts = []
            class Handler(http.server.BaseHTTPRequestHandler):
                def log_message(self, *args): pass
                def reply(self, status, body, headers=()):
                    self.send_response(status)
                    for name, value in headers: self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def do_POST(self):
                    self.rfile.read(int(self.headers["Content-Length"]))
                    posts.append(self.path)
                    if len(posts) == 1:
                        self.reply(503, b'{"error": "busy"}', [("Retry-After", "1")])
                    else:
                        self.reply(200, json.dumps({"uuid": "u1", "status": "done", "page_count": 1}).encode())
                def do_GET(self):
                    if self.path.startswith("/api/v1/ocr/u1/download/?format=txt"):
                        self.reply(200, ("posts=%d" % len(posts)).encode())
                    else:
                        self.reply(404, b'{"error": "not found"}')
            http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
            """
        // The interpreter itself, not a launcher that would leave it running when stopped.
        let python = try await ChildProcess.run("python3", ["-c", "import sys; print(sys.executable)"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let stub = Process()
        stub.executableURL = URL(fileURLWithPath: python)
        stub.arguments = ["-c", script, String(port)]
        stub.standardOutput = FileHandle.nullDevice
        stub.standardError = FileHandle.nullDevice
        try stub.run()
        defer { if stub.isRunning { kill(stub.processIdentifier, SIGKILL) } }
        #expect(await Live.waitUntil(seconds: 10) { (try? await ChildProcess.run("curl", ["-s", "http://127.0.0.1:\(port)/x"]))?.stdout.contains("not found") == true })

        let run = try await Self.submit(["--server", "http://127.0.0.1:\(port)", "-f", "txt", "-o", folder.path,
                                   ConvertCommandTests.sample("phototest.png")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try String(contentsOf: folder.appendingPathComponent("phototest.txt"), encoding: .utf8) == "posts=2")
    }

    @Test("two inputs of one name get results that do not overwrite each other")
    func sameNames() async throws {
        let folder = Live.temporaryFolder("submit-names")
        let server = try await ServerProcess(dataFolder: folder.appendingPathComponent("data"), arguments: ["--metering", "off"])
        var inputs: [String] = []
        for (sub, name) in [("a", "scan.png"), ("b", "scan.png"), ("c", "scan.tif")] {
            let place = folder.appendingPathComponent(sub)
            try FileManager.default.createDirectory(at: place, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: ConvertCommandTests.sample(name == "scan.tif" ? "phototest.tif" : "phototest.png"),
                                             toPath: place.appendingPathComponent(name).path)
            inputs.append(place.appendingPathComponent(name).path)
        }
        let out = folder.appendingPathComponent("out")
        let run = try await Self.submit(["--server", server.baseURL, "-f", "txt", "-o", out.path] + inputs)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Live.files("", of: out) == ["scan.png-2.txt", "scan.png.txt", "scan.tif.txt"])
    }
}
