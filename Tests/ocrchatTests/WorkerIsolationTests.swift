import Foundation
import Testing

/// The server reads documents in worker processes: a native crash on one hostile file ends a
/// worker, not the server, and every other job goes on. The crash is injected through the
/// workers' test switch (`OCRCHAT_TEST_WORKER_FAULT`): a real SIGSEGV in the worker, on any file
/// that carries a marker.
@Suite("Worker processes isolate native crashes", .serialized, .oneMachineSlot)
struct WorkerIsolationTests {
    static let crashInRecognition = "OCRCHAT-TEST-CRASH-IN-RECOGNITION"
    static let crashInInspection = "OCRCHAT-TEST-CRASH-IN-INSPECTION"
    static let hang = "OCRCHAT-TEST-HANG"
    static let crashInDerivedFiles = "OCRCHAT-TEST-CRASH-IN-DERIVED-FILES"

    private func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-isolation-\(UUID().uuidString)", isDirectory: true)
    }

    /// phototest.png with a marker after its end (decoders ignore bytes past IEND).
    private func markedPage(_ marker: String, in folder: URL) throws -> URL {
        var data = try Data(contentsOf: URL(fileURLWithPath: ConvertCommandTests.sample("phototest.png")))
        data.append(Data(marker.utf8))
        let url = folder.appendingPathComponent("\(marker).png")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try data.write(to: url)
        return url
    }

    @Test("a worker crash fails only its own job, clearly; a 10-page job on the other worker finishes")
    func crashIsIsolated() async throws {
        let folder = temporaryFolder()
        let server = try await ServerProcess(
            dataFolder: folder, arguments: ["--jobs", "2", "--metering", "off"],
            environment: ["OCRCHAT_TEST_WORKER_FAULT": "recognize:\(Self.crashInRecognition),inspect:\(Self.crashInInspection)"])
        // A long job, queued (more pages than are read within the request).
        let (longStatus, longBody) = try await server.http(["-F", "file=@\(ConvertCommandTests.sample("report-10pages.pdf"))",
                                                      "\(server.baseURL)/api/v1/ocr/"])
        #expect(longStatus == 200)
        let longJob = try #require((try JSONSerialization.jsonObject(with: longBody) as? [String: Any])?["uuid"] as? String)
        // Wait until it is under way with pages reported, so that the crash happens while it runs.
        var progress: [String: Any] = [:]
        let started = Date().addingTimeInterval(120)
        while Date() < started {
            progress = try await server.json("/api/v1/ocr/\(longJob)/")
            if progress["status"] as? String != "pending", (progress["pages_done"] as? Int ?? 0) > 0 { break }
            try await Task.sleep(for: .seconds(0.05))
        }
        #expect(progress["status"] as? String == "processing")
        #expect((1..<10).contains(progress["pages_done"] as? Int ?? 0), "pages done are reported while the job runs")

        // The hostile file: its worker dies (SIGSEGV) on both tries; the upload is answered with a
        // 400 that says why.
        let crashing = try await RobustnessTests.send(try markedPage(Self.crashInRecognition, in: folder), to: server)
        #expect(crashing.httpStatus == 400)
        #expect(crashing.error.contains("crashed the decoder"), "\(crashing.error)")
        #expect(crashing.error.contains("SIGSEGV"), "\(crashing.error)")

        // A crash while a file is inspected is a 400 at upload, not a dead server.
        let inspected = try await RobustnessTests.send(try markedPage(Self.crashInInspection, in: folder), to: server)
        #expect(inspected.httpStatus == 400)
        #expect(inspected.error.contains("crashed the decoder"), "\(inspected.error)")

        // Meanwhile and after: the server answers, reads good files, and the long job finishes
        // with every page, its progress reported along the way.
        #expect(server.process.isRunning)
        #expect(try await server.http(["\(server.baseURL)/healthz"]).0 == 200)
        let good = try await RobustnessTests.send(URL(fileURLWithPath: ConvertCommandTests.sample("phototest.png")), to: server)
        #expect(good.matches(RobustnessTests.Outcome.text("quick brown dog")))
        var final: [String: Any] = [:]
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline {
            final = try await server.json("/api/v1/ocr/\(longJob)/")
            if ["done", "failed"].contains(final["status"] as? String) { break }
            try await Task.sleep(for: .seconds(0.1))
        }
        #expect(final["status"] as? String == "done", "\(final["error"] ?? "")")
        #expect((final["text"] as? String ?? "").contains("Page 10 of the ten page report"))
        #expect(server.log.contains("a worker died reading a file"))
        #expect(server.process.isRunning)
    }

    @Test("a worker that stops answering is stopped at the stall limit; the job fails and the next one works")
    func hangIsStopped() async throws {
        let folder = temporaryFolder()
        let server = try await ServerProcess(
            dataFolder: folder, arguments: ["--jobs", "1", "--metering", "off", "--worker-stall-seconds", "20"],
            environment: ["OCRCHAT_TEST_WORKER_FAULT": "hang:\(Self.hang)"])
        let hung = try await RobustnessTests.send(try markedPage(Self.hang, in: folder), to: server)
        #expect(hung.httpStatus == 400)
        #expect(hung.error.contains("longer than 20 seconds without finishing a page"), "\(hung.error)")
        let good = try await RobustnessTests.send(URL(fileURLWithPath: ConvertCommandTests.sample("phototest.png")), to: server)
        #expect(good.matches(RobustnessTests.Outcome.text("quick brown dog")))
    }

    /// Posts a file and polls its job to the end; returns the uuid and the final job.
    private func convert(_ file: URL, on server: ServerProcess, fields: [String: String] = [:]) async throws -> (String, [String: Any]) {
        var arguments = ["-F", "file=@\(file.path)"]
        for (name, value) in fields { arguments += ["-F", "\(name)=\(value)"] }
        let (status, body) = try await server.http(arguments + ["\(server.baseURL)/api/v1/ocr/"])
        #expect(status == 200, "\(String(decoding: body, as: UTF8.self))")
        var job = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let uuid = try #require(job["uuid"] as? String)
        let deadline = Date().addingTimeInterval(120)
        while ["pending", "processing"].contains(job["status"] as? String), Date() < deadline {
            try await Task.sleep(for: .seconds(0.1))
            job = try await server.json("/api/v1/ocr/\(uuid)/")
        }
        return (uuid, job)
    }

    @Test("the searchable PDF and page pictures are made in a worker: a crash there leaves the job its text and the server up")
    func derivedFilesAreIsolated() async throws {
        let folder = temporaryFolder()
        let server = try await ServerProcess(
            dataFolder: folder, arguments: ["--jobs", "1", "--metering", "off"],
            environment: ["OCRCHAT_TEST_WORKER_FAULT": "derive:\(Self.crashInDerivedFiles)"])
        // The marked file reads fine; the worker making its PDF and pictures dies (twice).
        let (crashed, job) = try await convert(try markedPage(Self.crashInDerivedFiles, in: folder), on: server)
        #expect(job["status"] as? String == "done", "\(job["error"] ?? "")")
        #expect((job["text"] as? String ?? "").contains("quick brown dog"))
        let (pdfStatus, pdfBody) = try await server.http(["\(server.baseURL)/api/v1/ocr/\(crashed)/download/?format=pdf"])
        #expect(pdfStatus == 409)
        #expect(String(decoding: pdfBody, as: UTF8.self).contains("crashed the decoder"))
        #expect(try await server.http(["\(server.baseURL)/api/v1/ocr/\(crashed)/pages/0/image/"]).0 == 410)
        #expect(try await server.http(["\(server.baseURL)/api/v1/ocr/\(crashed)/download/?format=docx"]).0 == 200)
        #expect(server.log.contains("a worker died reading a file"))
        #expect(server.process.isRunning)

        // A good file afterwards gets both, from a fresh worker.
        let (good, done) = try await convert(URL(fileURLWithPath: ConvertCommandTests.sample("phototest.png")), on: server)
        #expect(done["status"] as? String == "done")
        let (status, pdf) = try await server.http(["\(server.baseURL)/api/v1/ocr/\(good)/download/?format=pdf"])
        #expect(status == 200)
        #expect(pdf.starts(with: Data("%PDF-".utf8)))
        let (imageStatus, jpeg) = try await server.http(["\(server.baseURL)/api/v1/ocr/\(good)/pages/0/image/"])
        #expect(imageStatus == 200)
        #expect(jpeg.starts(with: [0xFF, 0xD8]))
    }

    @Test("the tool reaches the worker: handwriting-to-text reads with the vlm tier and warns without a vision model")
    func toolReachesWorker() async throws {
        let server = try await ServerProcess(dataFolder: temporaryFolder(), arguments: ["--jobs", "1", "--metering", "off"])
        let (_, job) = try await convert(URL(fileURLWithPath: ConvertCommandTests.sample("phototest.png")), on: server,
                                   fields: ["tool": "handwriting-to-text"])
        #expect(job["status"] as? String == "done")
        #expect((job["engine"] as? String ?? "").hasPrefix("vlm"), "\(job["engine"] ?? "")")
        #expect((job["warnings"] as? [String] ?? []).contains { $0.contains("handwriting needs a vision model") })
    }

    @Test("one request per job: the worker reads, translates and writes the result, PDF and pictures; the server reads them")
    func wholeJobInWorker() async throws {
        let server = try await ServerProcess(dataFolder: temporaryFolder(), arguments: ["--jobs", "1", "--metering", "off"])
        let (uuid, job) = try await convert(URL(fileURLWithPath: ConvertCommandTests.sample("phototest.png")), on: server,
                                      fields: ["tool": "translate", "translate_to": "es", "language": "en"])
        #expect(job["status"] as? String == "done", "\(job["error"] ?? "")")
        #expect((job["text"] as? String ?? "").contains("quick brown dog"))
        #expect((job["translation"] as? String ?? "").contains("perro"), "translated in the worker")
        let (txtStatus, txt) = try await server.http(["\(server.baseURL)/api/v1/ocr/\(uuid)/download/?format=txt"])
        #expect(txtStatus == 200)
        #expect(String(decoding: txt, as: UTF8.self).contains("perro"))
        // The searchable PDF keeps the page's own words under the image.
        let (pdfStatus, pdf) = try await server.http(["\(server.baseURL)/api/v1/ocr/\(uuid)/download/?format=pdf"])
        #expect(pdfStatus == 200)
        let pdfFile = FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-\(uuid).pdf")
        try pdf.write(to: pdfFile)
        defer { try? FileManager.default.removeItem(at: pdfFile) }
        #expect(try await ChildProcess.run("pdftotext", [pdfFile.path, "-"]).stdout.contains("quick brown dog"))
        #expect(try await server.http(["\(server.baseURL)/api/v1/ocr/\(uuid)/pages/0/image/"]).0 == 200)
        #expect(!server.log.contains("a worker died"))
    }
}
