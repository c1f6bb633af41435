import Foundation

/// What happened to one input in this run.
public struct FileResult: Codable, Sendable, Equatable {
    /// How an input ended.
    public enum Status: String, Codable, Sendable {
        /// Recognised and every output written.
        case converted
        /// Converted by an earlier run and not changed since: nothing done.
        case unchanged
        /// Not an image or PDF (or not yet complete in a hot folder): left alone.
        case skipped
        /// Could not be converted; `reason` says why.
        case failed
    }

    /// The input's path below the input folder.
    public var path: String
    /// How it ended.
    public var status: Status
    /// Why it was skipped or failed.
    public var reason: String?
    /// Pages recognised (converted) or recorded (unchanged).
    public var pages: Int?
    /// Outputs relative to the output folder.
    public var outputs: [String]
    /// Time spent on it, in seconds.
    public var seconds: Double?

    public init(path: String, status: Status, reason: String? = nil, pages: Int? = nil, outputs: [String] = [],
                seconds: Double? = nil) {
        self.path = path
        self.status = status
        self.reason = reason
        self.pages = pages
        self.outputs = outputs
        self.seconds = seconds
    }
}

/// The counts a run ends with.
public struct BatchSummary: Codable, Sendable, Equatable {
    /// Inputs recognised and written in this run.
    public var converted = 0
    /// Inputs left alone because an earlier run did them and they have not changed.
    public var unchanged = 0
    /// Files that are not images or PDFs.
    public var skipped = 0
    /// Inputs that could not be converted.
    public var failed = 0
    /// Pages recognised in this run (unchanged files not counted).
    public var pages = 0
    /// Wall-clock time of the run.
    public var seconds = 0.0
    /// True when SIGINT or SIGTERM ended the run before every input was handled.
    public var stopped = false

    public init() {}

    /// The summary of these results.
    public init(results: [FileResult], seconds: Double, stopped: Bool) {
        for result in results {
            switch result.status {
            case .converted:
                converted += 1
                pages += result.pages ?? 0
            case .unchanged: unchanged += 1
            case .skipped: skipped += 1
            case .failed: failed += 1
            }
        }
        self.seconds = seconds
        self.stopped = stopped
    }

    /// Pages recognised a minute over the whole run.
    public var pagesPerMinute: Double { seconds > 0 ? Double(pages) / seconds * 60 : 0 }
}

/// `OUT/ocrchat-report.json`: every input of the run with its status, for people and scripts.
public struct BatchReport: Codable, Sendable, Equatable {
    /// The report's name in the output folder.
    public static let fileName = "ocrchat-report.json"

    /// The folder converted.
    public var inputFolder: String
    /// Where the outputs went.
    public var outputFolder: String
    /// The formats written, as given to `--format`.
    public var formats: [String]
    /// When the run began and ended.
    public var started: Date
    public var finished: Date
    /// The counts.
    public var summary: BatchSummary
    /// Every input, sorted by path.
    public var files: [FileResult]

    public init(inputFolder: String, outputFolder: String, formats: [String], started: Date, finished: Date,
                summary: BatchSummary, files: [FileResult]) {
        self.inputFolder = inputFolder
        self.outputFolder = outputFolder
        self.formats = formats
        self.started = started
        self.finished = finished
        self.summary = summary
        self.files = files
    }

    /// Writes the report into `folder` atomically.
    public func save(to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var data = try encoder.encode(self)
        data.append(0x0A)
        try AtomicFile.write(data, to: folder.appendingPathComponent(Self.fileName))
    }

    /// Reads a report written by `save`.
    public static func load(from folder: URL) throws -> BatchReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(BatchReport.self, from: Data(contentsOf: folder.appendingPathComponent(fileName)))
    }
}
