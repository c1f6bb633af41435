import Foundation
import Logging
import Synchronization
import OCRChatConversion
import OCRChatEngine
import OCRChatModel

/// How the supervisor runs its workers.
public struct WorkerPoolConfiguration: Sendable {
    /// The `ocrchat` binary (this one, by default).
    public var executable: URL
    /// Worker processes that recognise documents, one document each at a time.
    public var workers: Int
    /// Whether workers log everything their engine does (the server's `--verbose`).
    public var verbose: Bool
    /// Address space one worker may use, in MiB (0: no limit). Past it an allocation fails and the
    /// worker ends, never the server.
    public var memoryLimitMiB: Int
    /// Longest a worker may go without finishing a page (or answering an inspection) before it is
    /// taken for hung, stopped and the job failed.
    public var stallSeconds: Double
    /// Longest one job may take in all (0: no limit beyond `stallSeconds` per page).
    public var jobSeconds: Double
    /// Extra environment for the workers (tests inject faults through it).
    public var environment: [String: String]

    public init(executable: URL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(),
                workers: Int, verbose: Bool = false, memoryLimitMiB: Int = 0, stallSeconds: Double = 600,
                jobSeconds: Double = 0, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.executable = executable
        self.workers = max(1, workers)
        self.verbose = verbose
        self.memoryLimitMiB = memoryLimitMiB
        self.stallSeconds = stallSeconds
        self.jobSeconds = jobSeconds
        self.environment = environment
    }
}

/// Runs recognition in supervised `ocrchat worker` child processes, so that a native crash
/// (SIGSEGV, abort, out of memory) in a decoder or in Tesseract on one hostile file ends one child
/// and one attempt, never the server and everyone's jobs.
///
/// Each worker runs one job at a time, whole, in one request (read, translate, write the result,
/// the searchable PDF and the page pictures; only the outcome comes back), and keeps its models
/// loaded between jobs; a worker that dies is replaced by a fresh one when next needed. A file whose reading kills a
/// worker is tried once more on a fresh one, then refused as unreadable ("it crashed the
/// decoder"). Inspections (type and page count, before a job is accepted) run on a worker of their
/// own, so an upload is never kept waiting behind long jobs, and never opened by Poppler in the
/// server.
public final class WorkerPool: DocumentReader {
    public let configuration: EngineConfiguration
    public let pool: WorkerPoolConfiguration
    private let recognizers: WorkerGroup
    private let inspectors: WorkerGroup
    private let logger: Logger
    /// Requests in hand on a worker now, and workers that died answering one, for `/metrics`.
    private let counts = Mutex((busy: 0, crashes: 0))

    public init(engine: EngineConfiguration, pool: WorkerPoolConfiguration, logger: Logger) {
        configuration = engine
        self.pool = pool
        self.logger = logger
        // A write to the pipe of a worker that just died must be an error, not the end of the server.
        signal(SIGPIPE, SIG_IGN)
        // The engine's settings travel as the first frame; each worker reads its documents on
        // `engine.workers` threads of its own.
        let settings = WorkerSettings(engine: engine, verbose: pool.verbose, memoryLimitMiB: pool.memoryLimitMiB)
        let launch: @Sendable (Int) throws -> WorkerProcess = { [logger, pool] number in
            var environment = pool.environment
            environment[WorkerLoop.serverVariable] = String(getpid())
            let worker = try WorkerProcess(number: number, executable: pool.executable, arguments: ["worker"],
                                           environment: environment)
            try worker.send(settings)
            logger.info("worker started", metadata: ["worker": "\(number)", "pid": "\(worker.processIdentifier)"])
            return worker
        }
        recognizers = WorkerGroup(size: pool.workers, launch: launch)
        inspectors = WorkerGroup(size: 1, firstNumber: pool.workers, launch: launch)
    }

    public func requireLanguage(_ language: String) throws {
        try configuration.requireLanguage(language)  // the models the workers load are this machine's
    }

    public func installedModels() -> [InstalledModel] {
        configuration.installedModels()
    }

    public func inspect(contentsOf url: URL, password: String?) async throws -> FileSummary {
        switch try await perform(.inspect(path: url.path, password: password), on: inspectors, progress: nil) {
        case .summary(let summary): return summary
        case let other: throw unexpected(other)
        }
    }

    /// One request to one worker for the whole job. A worker that dies once the result is
    /// stored costs only the files made from the original: the next try makes only those, and
    /// when that one dies too the job's text stands and the outcome says why the files are missing.
    public func convert(_ job: ConversionJob, progress: (@Sendable (Int, Int) async -> Void)?) async throws -> ConversionJob.Outcome {
        do {
            switch try await perform(.convert(job), on: recognizers, progress: progress) {
            case .converted(let outcome): return outcome
            case let other: throw unexpected(other)
            }
        } catch let failure as DerivedFilesDeath {
            return ConversionJob.Outcome(pageCount: failure.pageCount, failed: "\(failure.error)", for: job)
        }
    }

    /// On the inspectors' worker: a page picture asked for is made while every recogniser reads a job.
    public func makeFiles(_ job: ConversionJob) async throws -> ConversionJob.Outcome {
        do {
            switch try await perform(.convert(job), on: inspectors, progress: nil) {
            case .converted(let outcome): return outcome
            case let other: throw unexpected(other)
            }
        } catch let failure as DerivedFilesDeath {
            return ConversionJob.Outcome(pageCount: failure.pageCount, failed: "\(failure.error)", for: job)
        }
    }

    /// The document alone, through the same request as a job's: written to a temporary file by
    /// the worker and read back here (`convert` and `batch` read in their own process; this is
    /// for a caller that holds only a `DocumentReader`).
    public func recognize(contentsOf url: URL, options: RecognitionOptions) async throws -> Document {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-read-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = folder.appendingPathComponent("document.json")
        let job = ConversionJob(source: url.path, options: options, translateTo: nil, result: result.path,
                                searchablePDF: nil, previews: nil)
        _ = try await convert(job, progress: options.progress)
        return try await offload { try JSONDecoder().decode(Document.self, from: Data(contentsOf: result)) }
    }

    public func activity() -> ReaderActivity? {
        let (busy, crashes) = counts.withLock { ($0.busy, $0.crashes) }
        return ReaderActivity(workers: pool.workers + 1, busy: busy, crashes: crashes)
    }

    private func unexpected(_ reply: WorkerReply) -> any Error {
        EngineError.nativeFailure(call: "ocrchat worker", detail: "an unexpected answer: \(reply)")
    }

    /// One request, with one retry on a fresh worker when the first one dies. A job whose
    /// result a worker stored before dying is retried for its other files only.
    private func perform(_ request: WorkerRequest, on group: WorkerGroup,
                         progress: (@Sendable (Int, Int) async -> Void)?) async throws -> WorkerReply {
        var request = request
        var deaths: [String] = []
        var storedPages: Int?
        for attempt in 1...2 {
            do {
                let reply = try await attemptOnce(request, on: group, progress: progress)
                switch reply {
                case .failure(let error): throw error
                case .otherFailure(let message): throw EngineError.nativeFailure(call: "ocrchat worker", detail: message)
                default: return reply
                }
            } catch let death as WorkerDeath {
                try Task.checkCancellation()
                deaths.append(death.how)
                counts.withLock { $0.crashes += 1 }
                logger.warning("a worker died reading a file", metadata: [
                    "attempt": "\(attempt)", "how": "\(death.how)", "request": "\(request.name)",
                ])
                if let pageCount = death.resultStored, case .convert(var job) = request {
                    storedPages = pageCount
                    job.resultWritten = true
                    request = .convert(job)
                }
            }
        }
        let error = EngineError.unreadable(format: formatName(of: request.path),
                                           detail: "it crashed the decoder on both tries (\(deaths.joined(separator: "; "))); "
                                               + "the file is damaged or hostile")
        if let storedPages { throw DerivedFilesDeath(pageCount: storedPages, error: error) }
        throw error
    }

    private func attemptOnce(_ request: WorkerRequest, on group: WorkerGroup,
                             progress: (@Sendable (Int, Int) async -> Void)?) async throws -> WorkerReply {
        let worker = try await group.checkout()
        counts.withLock { $0.busy += 1 }
        defer { counts.withLock { $0.busy -= 1 } }
        do {
            let reply = try await exchange(request, with: worker, progress: progress)
            await group.checkin(worker)
            return reply
        } catch {
            await group.checkin(worker)
            throw error
        }
    }

    /// Sends the request and reads frames until the answer, passing progress on.
    private func exchange(_ request: WorkerRequest, with worker: WorkerProcess,
                          progress: (@Sendable (Int, Int) async -> Void)?) async throws -> WorkerReply {
        try Task.checkCancellation()
        do {
            try worker.send(request)
        } catch {
            worker.kill()
            throw WorkerDeath(how: "its pipe was closed: \(error)")
        }
        let stall = Duration.milliseconds(Int64(pool.stallSeconds * 1000))
        let jobDeadline = pool.jobSeconds > 0 ? ContinuousClock.now + .milliseconds(Int64(pool.jobSeconds * 1000)) : nil
        return try await withTaskCancellationHandler {
            var resultStored: Int?  // the job's page count, once its worker says the result is on disk
            while true {
                var timeout = stall
                if let jobDeadline { timeout = min(timeout, jobDeadline - ContinuousClock.now) }
                let wait = max(timeout, .milliseconds(1))
                let reply: WorkerReply?
                do {
                    reply = try await worker.nextReply(timeout: wait)
                } catch FrameChannel.Failure.timedOut {
                    worker.kill()
                    try Task.checkCancellation()
                    let pastJobLimit = jobDeadline.map { ContinuousClock.now >= $0 } ?? false
                    let limit = pastJobLimit ? "the limit of \(pool.jobSeconds.clean) seconds a job"
                        : "\(pool.stallSeconds.clean) seconds without finishing a page"
                    logger.warning("a worker was stopped", metadata: ["why": "\(limit)", "request": "\(request.name)"])
                    let error = EngineError.unreadable(format: formatName(of: request.path),
                                                       detail: "reading it took longer than \(limit); it was stopped")
                    // Stopped while making the files from the original: the job's text stands.
                    if let resultStored { throw DerivedFilesDeath(pageCount: resultStored, error: error) }
                    throw error
                } catch let error as FrameChannel.Failure {
                    worker.kill()
                    throw WorkerDeath(how: "its answer was broken: \(error)", resultStored: resultStored)
                } catch is DecodingError {
                    worker.kill()
                    throw WorkerDeath(how: "its answer could not be decoded", resultStored: resultStored)
                }
                guard let reply else {
                    try Task.checkCancellation()
                    throw WorkerDeath(how: await worker.exitDescription(), resultStored: resultStored)
                }
                switch reply {
                case .progress(let done, let total):
                    await progress?(done, total)
                case .resultStored(let pageCount):
                    resultStored = pageCount
                default:
                    return reply
                }
            }
        } onCancel: {
            // The job is going back to the queue (shutdown) or its caller left: the worker's
            // current reading is of no use and is stopped; a fresh worker replaces it.
            worker.kill()
        }
    }

    /// The format's name for messages, from the first bytes (pure Swift, safe on any input).
    private func formatName(of path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "input" }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 1024)) ?? Data()
        return (try? InputFormat.sniff(head).displayName) ?? "input"
    }
}

/// A worker ended (crash, kill, broken pipe) before answering; for a job, after storing its
/// result with this many pages, or before (nil).
struct WorkerDeath: Error {
    let how: String
    var resultStored: Int?
}

/// A job's workers stored its result and then died on both tries making its other files.
private struct DerivedFilesDeath: Error {
    let pageCount: Int
    let error: EngineError
}


/// A fixed number of worker processes, started when first needed and replaced when they die.
actor WorkerGroup {
    private let size: Int
    private let firstNumber: Int
    private let launch: @Sendable (Int) throws -> WorkerProcess
    private var idle: [WorkerProcess] = []
    private var running = 0
    private var started = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(size: Int, firstNumber: Int = 0, launch: @escaping @Sendable (Int) throws -> WorkerProcess) {
        self.size = size
        self.firstNumber = firstNumber
        self.launch = launch
    }

    func checkout() async throws -> WorkerProcess {
        while true {
            if let worker = idle.popLast() {
                if worker.isAlive { return worker }
                running -= 1  // died while idle (killed from outside): replaced below
                continue
            }
            if running < size {
                running += 1
                started += 1
                do {
                    return try launch(firstNumber + started - 1)
                } catch {
                    running -= 1
                    throw EngineError.nativeFailure(call: "ocrchat worker", detail: "could not start a worker: \(error)")
                }
            }
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    func checkin(_ worker: WorkerProcess) {
        if worker.isAlive {
            idle.append(worker)
        } else {
            running -= 1  // a fresh one is started by the next checkout
        }
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }
}

extension Double {
    fileprivate var clean: String {
        self == rounded() ? String(Int(self)) : String(self)
    }
}
