import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OCRChatEngine
import OCRChatExport
import OCRChatModel
import Testing
@testable import OCRChatServer

@Suite("Upload, poll and download through the router")
struct JobRouteTests {
    @Test("a one-page image is recognised within the POST: done, with text, markdown and boxes", arguments: Backend.allCases)
    func inlineJob(_ backend: Backend) async throws {
        let app = try await buildApplication(configuration: testConfiguration(backend), reader: sharedEngine, logger: quietLogger)
        try await app.test(.router) { client in
            let upload = MultipartBody.upload(try sample("phototest.png"), name: "phototest.png")
            let job = try await client.execute(uri: "/api/v1/ocr/", method: .post, headers: upload.headers, body: upload.buffer) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                return response.json
            }
            #expect(job["status"] as? String == "done")
            #expect(job["page_count"] as? Int == 1)
            #expect(job["tier"] as? String == "cpu")
            #expect(job["node"] as? String == ProcessInfo.processInfo.hostName, "the node that read it")
            #expect(job["language"] as? String == "auto")
            #expect(job["detected_languages"] as? [String] == ["en"])
            #expect((job["text"] as? String)?.hasPrefix("This is a lot of 12 point text") == true)
            #expect((job["markdown"] as? String)?.isEmpty == false)
            let confidence = try #require(job["mean_confidence"] as? Double)
            #expect((0...1).contains(confidence))
            let page = try #require((job["pages"] as? [[String: Any]])?.first)
            #expect(page["index"] as? Int == 0)
            #expect(page["language"] as? String == "eng")
            #expect(page["width"] as? Int == 640)
            let block = try #require((page["blocks"] as? [[String: Any]])?.first)
            #expect((block["bbox"] as? [Int])?.count == 4)
            let uuid = try #require(job["uuid"] as? String)

            // Polling, with and without the trailing slash.
            for path in ["/api/v1/ocr/\(uuid)/", "/api/v1/ocr/\(uuid)"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.json["status"] as? String == "done")
                }
            }
            // Downloads: the right type and a file name from the upload's.
            for (format, type) in [("txt", "text/plain"), ("md", "text/markdown"), ("json", "application/json")] {
                try await client.execute(uri: "/api/v1/ocr/\(uuid)/download/?format=\(format)", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix(type) == true)
                    #expect(response.headers[.contentDisposition] == "attachment; filename=\"phototest.\(format)\"")
                    #expect(String(buffer: response.body).contains("quick brown dog"))
                }
            }
            // The json download is the job object itself.
            try await client.execute(uri: "/api/v1/ocr/\(uuid)/download/?format=json", method: .get) { response in
                #expect(response.json["uuid"] as? String == uuid)
                #expect(response.json["status"] as? String == "done")
                let words = ((response.json["pages"] as? [[String: Any]])?.first?["blocks"] as? [[String: Any]])?
                    .first?["lines"] as? [[String: Any]]
                #expect(words?.first?["words"] != nil)
            }
            // Every other format through the same route, each with its own type.
            for format in ["csv", "docx", "hocr", "alto", "pdf"] {
                try await client.execute(uri: "/api/v1/ocr/\(uuid)/download/?format=\(format)", method: .get) { response in
                    #expect(response.status == .ok, "\(format): \(String(buffer: response.body).prefix(200))")
                    #expect(response.headers[.contentType] == ExportFormat(rawValue: format)?.contentType)
                    #expect(response.headers[.contentDisposition]?.contains("phototest.") == true)
                    #expect(response.body.readableBytes > 100)
                }
            }
            // The searchable PDF, read by a real consumer: pdftotext finds the page's text.
            let pdf = try await client.execute(uri: "/api/v1/ocr/\(uuid)/download/?format=pdf", method: .get) { Data(buffer: $0.body) }
            #expect(try await pdfText(pdf).contains("quick brown dog"))
            try await client.execute(uri: "/api/v1/ocr/\(uuid)/download?format=xlsx", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect((response.json["error"] as? String)?.contains("unknown format 'xlsx'") == true)
            }
            // Without a format (an extra): the job object, as format=json gives it.
            try await client.execute(uri: "/api/v1/ocr/\(uuid)/download/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.json["uuid"] as? String == uuid)
            }
        }
    }

    @Test("a file of more than five pages returns pending at once and is finished by the worker", arguments: Backend.allCases)
    func backgroundJob(_ backend: Backend) async throws {
        let app = try await buildApplication(configuration: testConfiguration(backend), reader: sharedEngine, logger: quietLogger)
        try await app.test(.live) { client in
            let upload = MultipartBody.upload(try sample("report-10pages.pdf"), name: "report.pdf")
            let job = try await client.execute(uri: "/api/v1/ocr", method: .post, headers: upload.headers, body: upload.buffer) { response in
                #expect(response.status == .ok)
                return response.json
            }
            #expect(["pending", "processing"].contains(job["status"] as? String))
            #expect(job["page_count"] as? Int == 10)
            let uuid = try #require(job["uuid"] as? String)
            // Before it is done, a download is a conflict.
            try await client.execute(uri: "/api/v1/ocr/\(uuid)/download/?format=txt", method: .get) { response in
                #expect(response.status == .conflict)
            }
            var status = ""
            var progress: Set<Int> = []
            let deadline = ContinuousClock.now + .seconds(120)
            while status != "done", ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                let polled = try await client.execute(uri: "/api/v1/ocr/\(uuid)/", method: .get) { $0.json }
                status = polled["status"] as? String ?? ""
                if let done = polled["pages_done"] as? Int { progress.insert(done) }
                #expect(status != "failed", "\(polled["error"] ?? "")")
            }
            #expect(status == "done")
            #expect(progress.contains(10))
            try await client.execute(uri: "/api/v1/ocr/\(uuid)/download/?format=txt", method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains("Page 1 of the ten page report"))
                #expect(text.contains("Page 10 of the ten page report"))
            }
        }
    }

    @Test("bad uploads are 400s with a message: no file, a bad type, too large, a bad tier or language", arguments: Backend.allCases)
    func badUploads(_ backend: Backend) async throws {
        let app = try await buildApplication(configuration: testConfiguration(backend) { $0.maxUploadMiB = 1 }, reader: sharedEngine, logger: quietLogger)
        // A real language whose model this machine lacks: the answer says which Debian package adds it.
        let missing = try #require(LanguageCatalog.languages.first { !ModelLocator.standard().isInstalled($0.model) })
        try await app.test(.router) { client in
            var noFile = MultipartBody()
            noFile.parts.append(("tier", nil, Data("cpu".utf8)))
            let cases: [(MultipartBody, String)] = [
                (noFile, "no file"),
                (.upload(try sample("phototest.png"), fields: ["language": missing.iso6391 ?? missing.model]),
                 "apt-get install \(missing.debianPackage)"),
                (.upload(Data("just some text, not a scan".utf8), name: "scan.pdf"), "unsupported file type"),
                (.upload(Data(repeating: 0x41, count: 3 << 20)), "too large"),
                (.upload(try sample("phototest.png"), fields: ["tier": "gpu"]), "unknown tier 'gpu'"),
                (.upload(try sample("phototest.png"), fields: ["language": "xx-klingon"]), "unknown language"),
                (.upload(try sample("phototest.png"), fields: ["tool": "make-coffee"]), "unknown tool"),
                (.upload(Data(), name: "empty.png"), "empty"),
            ]
            for (body, message) in cases {
                try await client.execute(uri: "/api/v1/ocr/", method: .post, headers: body.headers, body: body.buffer) { response in
                    #expect(response.status == .badRequest, "\(message)")
                    #expect((response.json["error"] as? String)?.contains(message) == true, "\(response.json)")
                }
            }
            try await client.execute(uri: "/api/v1/ocr/", method: .post, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("the languages list is what is installed here, each code one the upload accepts", arguments: Backend.allCases)
    func installedLanguages(_ backend: Backend) async throws {
        let app = try await buildApplication(configuration: testConfiguration(backend), reader: sharedEngine, logger: quietLogger)
        let installed = ModelLocator.standard().installedLanguages
        try await app.test(.router) { client in
            let languages = try await client.execute(uri: "/api/v1/languages/", method: .get) { response in
                #expect(response.status == .ok)
                return try #require(response.json["languages"] as? [[String: String]])
            }
            #expect(languages.first?["code"] == "auto")
            #expect(Set(languages.dropFirst().compactMap { $0["model"] }) == Set(installed))
            let french = try #require(languages.first { $0["model"] == "fra" }, "fra is installed by make setup")
            #expect(french["code"] == "fr" && french["name"] == "French")
            // Not listed, not accepted: a language this machine lacks is nowhere in the list.
            let missing = try #require(LanguageCatalog.languages.first { !installed.contains($0.model) })
            #expect(!languages.contains { $0["model"] == missing.model })
            // A listed code is accepted by the upload as it is.
            let upload = MultipartBody.upload(try sample("phototest.png"), fields: ["language": french["code"] ?? ""])
            try await client.execute(uri: "/api/v1/ocr/", method: .post, headers: upload.headers, body: upload.buffer) { response in
                #expect(response.status == .ok)
                #expect(response.json["language"] as? String == "fr")
            }
        }
    }

    @Test("a full queue refuses uploads with 503 and Retry-After before reading them", arguments: Backend.allCases)
    func fullQueue(_ backend: Backend) async throws {
        // A queue bound of 0 is always full: the refusal path without racing the background worker.
        let app = try await buildApplication(configuration: testConfiguration(backend) { $0.maxQueuedJobs = 0 }, reader: sharedEngine,
                                       logger: quietLogger)
        try await app.test(.router) { client in
            let report = MultipartBody.upload(try sample("report-10pages.pdf"), name: "report.pdf")
            try await client.execute(uri: "/api/v1/ocr/", method: .post, headers: report.headers, body: report.buffer) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "30")
                #expect((response.json["error"] as? String)?.contains("queue is full") == true)
            }
        }
    }

    @Test("unknown uuids and unknown routes are JSON 404s", arguments: Backend.allCases)
    func notFound(_ backend: Backend) async throws {
        let app = try await buildApplication(configuration: testConfiguration(backend), reader: sharedEngine, logger: quietLogger)
        try await app.test(.router) { client in
            for path in ["/api/v1/ocr/\(UUID().uuidString)/", "/api/v1/ocr/not-a-uuid/", "/api/v1/ocr/\(UUID().uuidString)/download/?format=txt", "/nowhere"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .notFound, "\(path)")
                    #expect(response.json["error"] is String, "\(path)")
                }
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.json["status"] as? String == "ok")
                #expect(response.json["node"] as? String == ProcessInfo.processInfo.hostName)
            }
        }
    }
}

/// The text `pdftotext` reads from a PDF. Its output is read on a thread of its own and its end
/// awaited with `Task.sleep`, so that the loopback server under test keeps the cooperative pool.
func pdfText(_ pdf: Data) async throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-\(UUID().uuidString).pdf")
    try pdf.write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["pdftotext", file.path, "-"]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let handle = out.fileHandleForReading
    let data = await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: handle.readDataToEndOfFile()) }.start()
    }
    while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
    return String(decoding: data, as: UTF8.self)
}
