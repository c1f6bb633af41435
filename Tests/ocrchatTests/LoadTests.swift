import Foundation
import Testing

/// The load test of `make loadtest`, small enough for every CI run: the same script, the same
/// checks (no 5xx, no timeout, no lost job, health answered, memory bounded, clean SIGTERM), at
/// 60 requests from 10 clients, with a ceiling of 3 uploads at once so that back-pressure (503
/// with Retry-After, then a successful retry) happens on purpose.
@Suite("Load, small: the loadtest script at 60 requests and 10 clients", .serialized, .oneMachineSlot)
struct LoadTests {
    @Test("60 mixed requests at 10 clients: no 5xx, no timeout, every job done, health answered, 503s carry Retry-After")
    func smallLoad() async throws {
        let output = Live.temporaryFolder("load").appendingPathExtension("json")
        let script = ConvertCommandTests.root.appendingPathComponent("Scripts/loadtest.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--ocrchat", ConvertCommandTests.binary.path, "--requests", "60",
                             "--clients", "10", "--pdfs", "1", "--max-seconds", "600", "--json", output.path,
                             "--config", #"{"max_concurrent_uploads": 3}"#]
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        let (status, errorOutput) = try await ChildProcess.output(of: process, through: err)
        let stderr = String(decoding: errorOutput, as: UTF8.self)
        #expect(status == 0, "\(stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
        let statuses = result["status_counts"] as? [String: Int] ?? [:]
        #expect(result["operations_run"] as? Int == 60)
        #expect(statuses.keys.allSatisfy { ["200", "409", "503"].contains($0) }, "\(statuses)")
        #expect((statuses["503"] ?? 0) > 0, "the upload ceiling of 3 was reached and answered with 503 + Retry-After")
        #expect(result["jobs_lost"] as? Int == 0 && result["jobs_failed"] as? Int == 0)
        #expect((result["jobs_accepted"] as? Int ?? 0) > 0 && result["jobs_done"] as? Int == result["jobs_accepted"] as? Int)
        #expect(result["health_failures"] as? Int == 0)
        #expect(result["uploads_left_on_disk"] as? Int == 0)
        #expect(result["sigterm_exit_code"] as? Int == 0)
    }
}
