import ArgumentParser
import Foundation
import Logging
import OCRChatServer

/// `ocrchat bench-queue`: the shared queue's capacity on a PostgreSQL database (for `make bench-queue`).
struct BenchQueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-queue",
        abstract: "Measure the PostgreSQL queue alone: claims per second and claim latency with many nodes (no reading).",
        shouldDisplay: false
    )

    @Option(help: "A fresh PostgreSQL database (postgres://…): the benchmark's jobs are left in it.")
    var database: String

    @Option(help: "Simulated nodes, each with a connection of its own.")
    var nodes: Int = 50

    @Option(help: "Jobs queued, then claimed and marked done.")
    var jobs: Int = 5000

    func validate() throws {
        if nodes < 1 || jobs < 1 { throw ValidationError("--nodes and --jobs must be at least 1") }
    }

    func run() async throws {
        var logger = Logger(label: "ocrchat.bench")
        logger.logLevel = .warning
        let result = try await benchmarkQueue(database: database, nodes: nodes, jobs: jobs, logger: logger)
        print(String(format: "nodes %d, jobs %d: %.0f claims/s (each claim and its done-write), claim p50 %.1f ms, p95 %.1f ms, %.1f s",
                     result.nodes, result.jobs, result.claimsPerSecond, result.p50Milliseconds, result.p95Milliseconds, result.seconds))
    }
}
