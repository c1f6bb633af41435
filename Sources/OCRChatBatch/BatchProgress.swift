import Foundation

/// Hears what a batch does, as it does it. Called from several documents at once.
public protocol BatchProgressReporter: Sendable {
    /// `count` more inputs are about to be converted (a hot folder calls this once per arrival).
    func willConvert(count: Int) async
    /// Work on an input has begun.
    func started(_ path: String) async
    /// One more page of an input is done.
    func pageDone(_ path: String, done: Int, of count: Int) async
    /// An input is finished, whatever its status.
    func finished(_ result: FileResult) async
    /// The hot folder is waiting for files.
    func idle() async
    /// The run is over.
    func summarize(_ summary: BatchSummary, failures: [FileResult], report: URL?) async
}

/// A reporter that says nothing.
public struct SilentProgress: BatchProgressReporter {
    public init() {}
    public func willConvert(count: Int) async {}
    public func started(_ path: String) async {}
    public func pageDone(_ path: String, done: Int, of count: Int) async {}
    public func finished(_ result: FileResult) async {}
    public func idle() async {}
    public func summarize(_ summary: BatchSummary, failures: [FileResult], report: URL?) async {}
}

/// Where things are in a run: what the progress bar draws.
public struct ProgressSnapshot: Sendable, Equatable {
    /// Inputs to convert in this run so far, and how many of them are finished.
    public var total = 0
    public var done = 0
    /// Pages recognised, including pages of documents still in hand.
    public var pages = 0
    /// Seconds since the run began.
    public var elapsed = 0.0
    /// The input most recently started and not yet finished.
    public var current: String?
    /// True while a hot folder has nothing to do.
    public var waiting = false

    public init(total: Int = 0, done: Int = 0, pages: Int = 0, elapsed: Double = 0, current: String? = nil, waiting: Bool = false) {
        self.total = total
        self.done = done
        self.pages = pages
        self.elapsed = elapsed
        self.current = current
        self.waiting = waiting
    }

    /// Pages a minute so far.
    public var pagesPerMinute: Double { elapsed > 0 ? Double(pages) / elapsed * 60 : 0 }

    /// Seconds still to go at the pace so far, once there is a pace.
    public var secondsLeft: Double? {
        guard done > 0, total > done else { return total == done && total > 0 ? 0 : nil }
        return elapsed / Double(done) * Double(total - done)
    }
}

/// The one-line progress bar: `[#####·····] 3/7 files · 9 pages · 41 pages/min · 0:12 left · a/scan.pdf`.
public enum ProgressBar {
    /// The line for `snapshot`, cut to `width` columns. The file in hand matters more than the
    /// pace: when the line is short of room, the pages a minute go first, then the page count,
    /// then half the bar, so that the name is shown whole (up to 40 columns) before any of it is
    /// cut; a name cut at all loses its beginning, since its end names the file.
    public static func line(_ snapshot: ProgressSnapshot, width: Int) -> String {
        let counts = "\(snapshot.done)/\(snapshot.total) files"
        let pages = "\(snapshot.pages) page\(snapshot.pages == 1 ? "" : "s")"
        let pace = "\(Int(snapshot.pagesPerMinute.rounded())) pages/min"
        var tail: [String] = []
        if let left = snapshot.secondsLeft { tail.append("\(clock(left)) left") }
        if snapshot.current == nil && snapshot.waiting { tail.append("waiting for files") }
        func compose(cells: Int, optional: [String]) -> String {
            let filled = snapshot.total > 0 ? min(cells, cells * snapshot.done / snapshot.total) : 0
            let bar = "[" + String(repeating: "#", count: filled) + String(repeating: "·", count: cells - filled) + "]"
            return bar + " " + ([counts] + optional + tail).joined(separator: " · ")
        }
        var line = compose(cells: 20, optional: [pages, pace])
        if let current = snapshot.current {
            let wanted = min(current.count, 40)
            for (cells, optional) in [(20, [pages]), (20, []), (10, [])] where width - line.count - 3 < wanted {
                line = compose(cells: cells, optional: optional)
            }
            let room = width - line.count - 3
            if room >= 8 {
                line += " · " + (current.count > room ? "…" + current.suffix(room - 1) : current)
            }
        }
        return line.count > width ? String(line.prefix(max(0, width - 1))) + "…" : line
    }

    /// `m:ss`, or `h:mm:ss` from an hour.
    public static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }
}

/// Reports a batch on stderr: a live bar redrawn in place on a terminal, one plain line per file
/// otherwise (a log, a pipe, CI). Both end with the same summary.
public actor ConsoleProgress: BatchProgressReporter {
    /// How the progress is shown.
    public enum Style: Sendable {
        /// A bar redrawn with `\r` on one line, at most ten times a second.
        case bar(width: Int)
        /// One line per finished file.
        case lines
    }

    private let style: Style
    private let write: @Sendable (String) -> Void
    private let start = Date()
    private var snapshot = ProgressSnapshot()
    private var inHand: [String] = []
    private var pagesOfFinished = 0
    private var pagesInHand: [String: Int] = [:]
    private var lastDraw = Date.distantPast
    private var barShown = false

    /// `write` receives the text to print (stderr in the command, a buffer in tests).
    public init(style: Style, write: @escaping @Sendable (String) -> Void) {
        self.style = style
        self.write = write
    }

    public func willConvert(count: Int) {
        snapshot.total += count
        snapshot.waiting = false
        draw(force: true)
    }

    public func started(_ path: String) {
        inHand.append(path)
        draw(force: false)
    }

    public func pageDone(_ path: String, done: Int, of count: Int) {
        pagesInHand[path] = done
        draw(force: false)
    }

    public func finished(_ result: FileResult) {
        if inHand.contains(result.path) {  // counted in the total: it was given to the engine
            snapshot.done += 1
        }
        inHand.removeAll { $0 == result.path }
        pagesInHand[result.path] = nil
        if result.status == .converted {
            pagesOfFinished += result.pages ?? 0
        }
        let line: String?
        switch result.status {
        case .converted:
            let pages = result.pages ?? 0
            line = "converted \(result.path) (\(pages) page\(pages == 1 ? "" : "s"), \(String(format: "%.1f", result.seconds ?? 0)) s)"
        case .failed:
            line = "failed \(result.path): \(result.reason ?? "unknown error")"
        case .skipped:
            line = "skipped \(result.path): \(result.reason ?? "not an image or PDF")"
        case .unchanged:
            line = nil  // a rerun of a large folder would otherwise print every file it did not touch
        }
        switch style {
        case .lines:
            if let line { write("\(line)\n") }
        case .bar:
            // A failure or a skip stays on screen above the bar; conversions show in the bar itself.
            if let line, result.status != .converted {
                write("\r\u{1B}[K\(line)\n")
                barShown = false
            }
            draw(force: true)
        }
    }

    public func idle() {
        snapshot.waiting = true
        draw(force: true)
    }

    public func summarize(_ summary: BatchSummary, failures: [FileResult], report: URL?) {
        if case .bar = style, barShown {
            draw(force: true)
            write("\n")
        }
        var text = "\(summary.converted) converted, \(summary.unchanged) unchanged, \(summary.skipped) skipped, "
            + "\(summary.failed) failed; \(summary.pages) page\(summary.pages == 1 ? "" : "s") in "
            + "\(String(format: "%.1f", summary.seconds)) s (\(Int(summary.pagesPerMinute.rounded())) pages/min)\n"
        if summary.stopped { text += "stopped before the end: run the same command again to convert the rest\n" }
        for failure in failures {
            text += "  failed: \(failure.path): \(failure.reason ?? "unknown error")\n"
        }
        if let report { text += "report: \(report.path)\n" }
        write(text)
    }

    private func draw(force: Bool) {
        guard case .bar(let width) = style else { return }
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        snapshot.elapsed = now.timeIntervalSince(start)
        snapshot.pages = pagesOfFinished + pagesInHand.values.reduce(0, +)
        snapshot.current = inHand.last
        write("\r\u{1B}[K" + ProgressBar.line(snapshot, width: width))
        barShown = true
    }
}
