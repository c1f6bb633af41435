import Foundation
import Testing

/// `GET /metrics` of a real server on loopback, read by prometheus_client's parser after real jobs.
@Suite("GET /metrics and JSON logs, live", .serialized, .oneMachineSlot)
struct MetricsTests {
    static let scraper = ServeCommandTests.clients.appendingPathComponent("metrics_scrape.py").path

    struct Scrape {
        var families: [String: String]
        var samples: [(name: String, labels: [String: String], value: Double)]

        /// The value of the sample `name` with exactly these labels (nil when there is none).
        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            samples.first { $0.name == name && $0.labels == labels }?.value
        }
    }

    /// Runs the Python scraper; its exit status (0, or 2 when refused) and what it parsed.
    private func scrape(_ server: ServerProcess, token: String? = nil) async throws -> (Int32, Scrape?, String) {
        let run = try await ChildProcess.run("python3", [Self.scraper, server.baseURL] + (token.map { [$0] } ?? []))
        guard run.status == 0,
              let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] else {
            return (run.status, nil, run.stderr)
        }
        #expect((object["content_type"] as? String)?.hasPrefix("text/plain; version=0.0.4") == true)
        let samples = (object["samples"] as? [[Any]] ?? []).map { row in
            (name: row[0] as? String ?? "", labels: row[1] as? [String: String] ?? [:], value: (row[2] as? NSNumber)?.doubleValue ?? .nan)
        }
        return (0, Scrape(families: object["families"] as? [String: String] ?? [:], samples: samples), run.stderr)
    }

    private func markedPage(_ marker: String, in folder: URL) throws -> URL {
        var data = try Data(contentsOf: URL(fileURLWithPath: ConvertCommandTests.sample("phototest.png")))
        data.append(Data(marker.utf8))
        let url = folder.appendingPathComponent("\(marker).png")
        try data.write(to: url)
        return url
    }

    @Test("after real jobs, refusals and a worker crash the counters prometheus_client reads match what was done")
    func countersMatchWhatWasDone() async throws {
        let folder = Live.temporaryFolder("metrics")
        // Anonymous callers may send one page a file: the two-page PDF is a 402.
        try Live.writeConfig(#"{"metering": {"enabled": true, "anonymous_file_page_cap": 1}}"#, in: folder)
        let crash = "OCRCHAT-TEST-CRASH-IN-RECOGNITION"
        let server = try await ServerProcess(dataFolder: folder, arguments: ["--jobs", "1"],
                                       environment: ["OCRCHAT_TEST_WORKER_FAULT": "recognize:\(crash)"])
        let (before, empty, _) = try await scrape(server)
        #expect(before == 0)
        #expect(empty?.value("ocrchat_jobs_finished_total", ["status": "done", "tier": "cpu"]) == 0)

        for _ in 0..<2 {
            let (status, job) = try await Live.upload(server, "phototest.png")
            #expect(status == 200 && job["status"] as? String == "done")
        }
        let (vlmStatus, vlmJob) = try await Live.upload(server, "phototest.png", extra: ["-F", "tier=vlm"])
        #expect(vlmStatus == 200 && vlmJob["status"] as? String == "done")
        #expect(try await Live.upload(server, "scanned-2pages.pdf").0 == 402)
        let notAnImage = folder.appendingPathComponent("notes.txt")
        try Data("not an image".utf8).write(to: notAnImage)
        #expect(try await server.http(["-F", "file=@\(notAnImage.path)", "\(server.baseURL)/api/v1/ocr/"]).0 == 400)
        // A file that crashes the decoder: two worker deaths, one failed job, a 400.
        #expect(try await server.http(["-F", "file=@\(try markedPage(crash, in: folder).path)", "\(server.baseURL)/api/v1/ocr/"]).0 == 400)

        let (code, parsed, stderr) = try await scrape(server)
        #expect(code == 0, "\(stderr)")
        let metrics = try #require(parsed)
        #expect(metrics.families["ocrchat_page_seconds"] == "histogram")
        #expect(metrics.families["ocrchat_jobs_finished"] == "counter")
        #expect(metrics.families["ocrchat_queue_depth"] == "gauge")
        #expect(metrics.value("ocrchat_jobs_finished_total", ["status": "done", "tier": "cpu"]) == 2)
        #expect(metrics.value("ocrchat_jobs_finished_total", ["status": "done", "tier": "vlm"]) == 1)
        #expect(metrics.value("ocrchat_jobs_finished_total", ["status": "failed", "tier": "cpu"]) == 1)
        #expect(metrics.value("ocrchat_pages_read_total", ["tier": "cpu"]) == 2)
        #expect(metrics.value("ocrchat_pages_read_total", ["tier": "vlm"]) == 1)
        #expect(metrics.value("ocrchat_page_seconds_count", ["tier": "cpu"]) == 2)
        #expect(metrics.value("ocrchat_page_seconds_bucket", ["tier": "cpu", "le": "+Inf"]) == 2)
        #expect((metrics.value("ocrchat_page_seconds_sum", ["tier": "cpu"]) ?? 0) > 0)
        #expect(metrics.value("ocrchat_jobs", ["status": "done", "tier": "cpu"]) == 2)
        #expect(metrics.value("ocrchat_jobs", ["status": "failed", "tier": "cpu"]) == 1)
        #expect(metrics.value("ocrchat_jobs", ["status": "pending", "tier": "cpu"]) == 0)
        #expect(metrics.value("ocrchat_queue_depth") == 0)
        #expect(metrics.value("ocrchat_payment_required_total") == 1)
        #expect(metrics.value("ocrchat_uploads_refused_total", ["reason": "payment_required"]) == 1)
        // The text file and the file that crashed the decoder twice.
        #expect(metrics.value("ocrchat_uploads_refused_total", ["reason": "bad_request"]) == 2)
        #expect(metrics.value("ocrchat_uploads_refused_total", ["reason": "queue_full"]) == 0)
        #expect(metrics.value("ocrchat_worker_crashes_total") == 2)
        #expect(metrics.value("ocrchat_workers") == 2)  // one reading, one inspecting uploads
        #expect(metrics.value("ocrchat_workers_busy") == 0)
        #expect(metrics.value("ocrchat_documents_reading") == 0)
    }

    @Test("with metrics.token set a scrape without it is a 401 and one with it is served; metrics can be turned off")
    func token() async throws {
        let folder = Live.temporaryFolder("metrics")
        try Live.writeConfig(#"{"metrics": {"token": "scrape-secret-1"}}"#, in: folder)
        let server = try await ServerProcess(dataFolder: folder)
        let (refused, _, status) = try await scrape(server)
        #expect(refused == 2)
        #expect(status.contains("401"))
        #expect(try await scrape(server, token: "wrong").0 == 2)
        let (served, parsed, _) = try await scrape(server, token: "scrape-secret-1")
        #expect(served == 0)
        #expect(parsed?.value("ocrchat_queue_depth") == 0)

        let off = Live.temporaryFolder("metrics")
        try Live.writeConfig(#"{"metrics": {"enabled": false}}"#, in: off)
        let quiet = try await ServerProcess(dataFolder: off)
        #expect(try await quiet.http(["\(quiet.baseURL)/metrics"]).0 == 404)
    }

    @Test("serve --log-format json writes one JSON object a line, with time, level and message, and no document text")
    func jsonLogs() async throws {
        let folder = Live.temporaryFolder("metrics")
        // --verbose: the worker processes log too (every page), and their lines must be JSON as well.
        let server = try await ServerProcess(dataFolder: folder, arguments: ["--log-format", "json", "--verbose"])
        #expect(try await Live.upload(server, "phototest.png").0 == 200)
        #expect(await server.terminate(within: 30) == 0)
        let lines = server.log.split(separator: "\n").map(String.init)
        #expect(lines.count >= 4)
        for line in lines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
            #expect(object != nil, "not a JSON object: \(line)")
            #expect(object?["ts"] != nil && object?["level"] != nil && object?["message"] != nil, "\(line)")
        }
        #expect(lines.contains { $0.contains(#""message":"request""#) && $0.contains(#""path":"/api/v1/ocr/""#) })
        #expect(lines.contains { $0.contains(#""label":"ocrchat.worker"#) || $0.contains(#""label":"ocrchat.engine"#) }, "\(server.log)")
        #expect(!server.log.contains("quick brown"))
    }
}
