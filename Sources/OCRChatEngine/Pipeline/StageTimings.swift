import Foundation
import Synchronization

/// Where a process's time went, stage by stage: thread-seconds summed over every page, kept only
/// when `OCRCHAT_TIMINGS=1` is set (what `make bench` sets), so that normal runs pay one branch a
/// stage. `ocrchat convert` prints them to stderr as one JSON object when it is done.
public enum StageTimings {
    /// The stages a page goes through, in the order it meets them.
    public enum Stage: String, CaseIterable, Sendable {
        /// Decoding an image file or rendering a PDF page (or taking its text layer).
        case render
        /// The gray copy the checks and the ruling search threshold.
        case gray
        /// The cheap turned-page test, and orientation detection when it or a doubtful reading asks.
        case orientation
        /// Under `auto`: the strips read to pick the first model.
        case script
        /// Measuring a page's skew and levelling it.
        case deskew
        /// Tesseract's first reading of a page.
        case recognise
        /// Readings after the first: turned, another script's model, the identified language.
        case reread
        /// The search for ruling lines.
        case rulings
        /// Reading order, headings, tables.
        case layout
        /// Writing the output formats.
        case export
    }

    /// The environment variable that turns the timings on.
    public static let variable = "OCRCHAT_TIMINGS"
    /// Whether this process keeps timings.
    public static let isEnabled = ProcessInfo.processInfo.environment[variable] == "1"

    private static let seconds = Mutex<[Stage: Double]>([:])

    /// Runs `body`, adding its duration to `stage` when timings are on.
    @inline(__always)
    public static func measure<T>(_ stage: Stage, _ body: () throws -> T) rethrows -> T {
        guard isEnabled else { return try body() }
        let start = ContinuousClock.now
        defer { add(stage, since: start) }
        return try body()
    }

    private static func add(_ stage: Stage, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let value = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        seconds.withLock { $0[stage, default: 0] += value }
    }

    /// The seconds so far, one key a stage that ran, as one line of JSON.
    public static func json() -> String {
        let snapshot = seconds.withLock { $0 }
        let fields = Stage.allCases.compactMap { stage in
            snapshot[stage].map { "\"\(stage.rawValue)\":\(String(format: "%.4f", $0))" }
        }
        return "{\"timings\":{" + fields.joined(separator: ",") + "}}"
    }
}
