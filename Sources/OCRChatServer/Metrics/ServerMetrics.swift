import Foundation
import Metrics
import Synchronization
import OCRChatConversion
import Prometheus

/// What `GET /metrics` shows, in Prometheus' text format: the server counts through swift-metrics'
/// API into a Prometheus registry of its own (not the process-wide `MetricsSystem`, so that
/// several servers in one test process keep apart), and the levels that the database and the
/// reader know (jobs per status, queue depth, workers busy) are read when the page is asked for.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    /// The reader's crash count when the page was last made, so that the counter only ever grows.
    private let crashesSeen = Mutex(0)
    /// Documents being read now (inline and queued jobs), whatever the isolation.
    private let reading = Mutex(0)

    static let statuses = ["pending", "processing", "done", "failed"]
    static let tiers = ["cpu", "vlm"]
    /// Why an upload was refused, as the `reason` label says it.
    enum Refusal: String, Sendable {
        case queueFull = "queue_full"
        case serverBusy = "server_busy"
        case callerBusy = "caller_busy"
        case paymentRequired = "payment_required"
        case badRequest = "bad_request"
        case tooSlow = "too_slow"
    }

    /// Every series at 0, with the buckets of the page histogram.
    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        // A page takes from a tenth of a second (a clean scan) to minutes (a dense vlm page).
        factory.durationHistogramBuckets["ocrchat_page_seconds"] = [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300]
            .map { Duration.milliseconds(Int64($0 * 1000)) }
        self.factory = factory
        // Every series there is from the start, at 0, so that a rate over it has a beginning.
        for tier in Self.tiers {
            for status in ["done", "failed"] { jobsFinished(status: status, tier: tier).increment(by: 0) }
            pagesRead(tier: tier).increment(by: 0)
        }
        for reason in [Refusal.queueFull, .serverBusy, .callerBusy, .paymentRequired, .badRequest, .tooSlow] {
            Metrics.Counter(label: "ocrchat_uploads_refused_total", dimensions: [("reason", reason.rawValue)], factory: factory).increment(by: 0)
        }
        Metrics.Counter(label: "ocrchat_payment_required_total", factory: factory).increment(by: 0)
        Metrics.Counter(label: "ocrchat_worker_crashes_total", factory: factory).increment(by: 0)
    }

    private func jobsFinished(status: String, tier: String) -> Metrics.Counter {
        Metrics.Counter(label: "ocrchat_jobs_finished_total", dimensions: [("status", status), ("tier", tier)], factory: factory)
    }

    private func pagesRead(tier: String) -> Metrics.Counter {
        Metrics.Counter(label: "ocrchat_pages_read_total", dimensions: [("tier", tier)], factory: factory)
    }

    /// A document started being read.
    func readingStarted() { reading.withLock { $0 += 1 } }
    /// …and ended, however.
    func readingEnded() { reading.withLock { $0 -= 1 } }

    /// A job read to the end: its pages, and its time spread evenly over them (pages are read in
    /// parallel, so a page's own time is not known apart).
    func jobDone(tier: String, pages: Int, duration: Duration) {
        jobsFinished(status: "done", tier: tier).increment()
        pagesRead(tier: tier).increment(by: Int64(pages))
        guard pages > 0 else { return }
        let timer = Metrics.Timer(label: "ocrchat_page_seconds", dimensions: [("tier", tier)], factory: factory)
        for _ in 0..<pages { timer.record(duration: duration / pages) }
    }

    /// A job that failed (an unreadable file, a crash on both tries, a time limit).
    func jobFailed(tier: String) {
        jobsFinished(status: "failed", tier: tier).increment()
    }

    /// An upload refused before it became a job.
    func refused(_ reason: Refusal) {
        Metrics.Counter(label: "ocrchat_uploads_refused_total", dimensions: [("reason", reason.rawValue)], factory: factory).increment()
        if reason == .paymentRequired { Metrics.Counter(label: "ocrchat_payment_required_total", factory: factory).increment() }
    }

    /// The page: the levels read now, then every series in the registry.
    func exposition(store: any Store, reader: any DocumentReader) async throws -> String {
        let health = try await store.health()
        for status in Self.statuses {
            for tier in Self.tiers {
                Metrics.Gauge(label: "ocrchat_jobs", dimensions: [("status", status), ("tier", tier)], factory: factory)
                    .record(health.jobs[status]?[tier] ?? 0)
            }
        }
        Metrics.Gauge(label: "ocrchat_queue_depth", factory: factory).record(health.jobs["pending"]?.values.reduce(0, +) ?? 0)
        Metrics.Gauge(label: "ocrchat_documents_reading", factory: factory).record(reading.withLock { $0 })
        let activity = reader.activity()
        Metrics.Gauge(label: "ocrchat_workers", factory: factory).record(activity?.workers ?? 0)
        Metrics.Gauge(label: "ocrchat_workers_busy", factory: factory).record(activity?.busy ?? 0)
        if let crashes = activity?.crashes {
            let new = crashesSeen.withLock { seen in
                defer { seen = max(seen, crashes) }
                return max(0, crashes - seen)
            }
            if new > 0 { Metrics.Counter(label: "ocrchat_worker_crashes_total", factory: factory).increment(by: Int64(new)) }
        }
        return registry.emitToString()
    }
}
