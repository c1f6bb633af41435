import Foundation
import NIOPosix
import Logging
import OCRChatLayout
import OCRChatModel
import OCRChatNeural

/// The engine: bytes in, `Document` out.
///
/// Each page is loaded (decoded, or rendered, or read from a text layer) in a task of its own
/// while the pool recognises those already loaded, one page per thread; at most a pool's worth of
/// pages and the one loading are in memory. One engine serves a whole process; its threads and models are reused by every call.
public final class OCREngine: Sendable {
    public let configuration: EngineConfiguration
    private let pool: EnginePool

    /// Starts the recognition threads. Fails when no model is installed at all.
    public init(configuration: EngineConfiguration = EngineConfiguration()) throws {
        NativeLibraryLogging.install()
        guard !configuration.models.installedLanguages.isEmpty else {
            throw EngineError.languageNotInstalled(language: "eng", installed: [])
        }
        if ProcessInfo.processInfo.environment["OMP_THREAD_LIMIT"] == nil {
            configuration.logger.warning(
                "OMP_THREAD_LIMIT is not set: Tesseract's OpenMP threads will make every page several times slower")
        }
        self.configuration = configuration
        self.pool = EnginePool(size: configuration.workers, models: configuration.models,
                               neural: configuration.neuralModels, logger: configuration.logger)
    }

    deinit {
        pool.shutdown()
    }

    /// The installed language models (Tesseract names), sorted.
    public var installedLanguages: [String] { configuration.models.installedLanguages }

    /// The engine profile that runs for a tier, as recorded in every document.
    public static func engineProfile(for tier: Tier) -> String {
        switch tier {
        case .cpu: return "cpu: tesseract-lstm"
        case .vlm: return "vlm: PP-OCRv6 neural recogniser with tesseract-lstm, line by line (no vision model)"
        }
    }

    /// The warning of a handwriting job when no vision model is configured.
    public static let handwritingWithoutVisionModel = """
        handwriting needs a vision model (start ocrchat with --vlm-url and --vlm-model); \
        without one this is the neural recogniser's printed-text reading, which reads little of handwriting
        """

    /// What a file is and how many pages it has, found cheaply (headers, the PDF's page tree) and
    /// with every limit but time checked: what a server needs before it accepts and meters a job.
    public func inspect(contentsOf url: URL, password: String? = nil) async throws -> FileSummary {
        let limits = configuration.limits
        let data = try mappedFile(url)
        let format = try InputFormat.sniff(data)
        let logger = configuration.logger
        let pageCount: Int = try await offload {
            if format == .pdf {
                return try PDFSource(data: data, file: url, password: password, limits: limits, renderDPI: 300,
                                     logger: logger).pageCount
            }
            return try ImageFileSource(data: data, format: format, limits: limits).pageCount
        }
        return FileSummary(format: format, pageCount: pageCount)
    }

    /// Reads a file from disk, refusing one over the size limit before reading it.
    public func recognize(contentsOf url: URL, options: RecognitionOptions = RecognitionOptions()) async throws -> Document {
        try await recognize(mappedFile(url), file: url, options: options)
    }

    /// The file's bytes, mapped rather than read, once its size is known to be within the limit.
    private func mappedFile(_ url: URL) throws -> Data {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        if let size = attributes[.size] as? Int, size > configuration.limits.maxFileBytes {
            throw EngineError.fileTooLarge(bytes: size, limit: configuration.limits.maxFileBytes)
        }
        return try Data(contentsOf: url, options: .mappedIfSafe)
    }

    /// Reads a file held in memory.
    public func recognize(_ data: Data, options: RecognitionOptions = RecognitionOptions()) async throws -> Document {
        try await recognize(data, file: nil, options: options)
    }

    private func recognize(_ data: Data, file: URL?, options: RecognitionOptions) async throws -> Document {
        let limits = configuration.limits
        if data.count > limits.maxFileBytes { throw EngineError.fileTooLarge(bytes: data.count, limit: limits.maxFileBytes) }
        let language = try LanguageCodes.tesseractLanguage(for: options.language)
        if let language {
            _ = try configuration.models.dataPath(for: language)  // a missing model fails before any work
        }
        let format = try InputFormat.sniff(data)
        let logger = configuration.logger
        let source: any PageSource = try await offload {
            if format == .pdf {
                return try PDFSource(data: data, file: file, password: options.password, limits: limits,
                                     renderDPI: Double(options.renderDPI), logger: logger, textLayer: options.textLayer)
            }
            return try ImageFileSource(data: data, format: format, limits: limits)
        }
        // Handwriting is the vlm tier's work whatever tier was asked for.
        let tier: Tier = options.tool == .handwritingToText ? .vlm : options.tier
        // OCRCHAT_LAYOUT=off keeps the recogniser's own blocks: the "before" of Scripts/layout-eval.py.
        let layout = ProcessInfo.processInfo.environment["OCRCHAT_LAYOUT"] == "off"
            ? nil : PageLayout(options: options.tool == .extractTables ? .tablesFirst : .standard)
        var recognizer = PageRecognizer(language: language, secondsPerPage: limits.secondsPerPage, layout: layout)
        recognizer.tier = tier
        let vision = tier == .vlm ? configuration.visionModel.map(VisionTranscriber.init(endpoint:)) : nil
        let failures = VisionFailures()
        let pages = try await recognizePages(of: source, selection: options.pages, recognizer: recognizer, progress: options.progress,
                                             vision: vision.map { ($0, options.tool == .handwritingToText, failures) })
        var document = Document(pages: pages, requestedLanguage: options.language, tier: tier.rawValue,
                                engine: Self.engineProfile(for: tier), sourceFormat: format.rawValue)
        if let vision {
            document.engine = "vlm: vision model \(vision.endpoint.model) at \(vision.endpoint.completionsURL.absoluteString), "
                + "with the pipeline's lines for boxes (each page's engine says which read it)"
            let failed = failures.pages
            if !failed.isEmpty {
                document.warnings.append("the vision model did not answer for \(failed.count) of \(pages.count) pages "
                    + "(\(failures.reason ?? "")): those pages are the pipeline's reading")
            }
        } else if options.tool == .handwritingToText {
            document.warnings.append(Self.handwritingWithoutVisionModel)
        }
        if tier == .vlm, case .failure(let error) = NeuralReader.load(configuration.neuralModels) {
            document.warnings.append("the vlm tier's neural recogniser is unavailable (\(error)): "
                + "every page was read by Tesseract alone, as on the cpu tier")
        }
        return document
    }

    /// Reads the pages of `selection` (0-based; nil: every page), in the file's order; a selected
    /// index past the end is not a page of the file and is left out.
    private func recognizePages(of source: any PageSource, selection: Set<Int>? = nil, recognizer: PageRecognizer,
                                progress: (@Sendable (Int, Int) async -> Void)?,
                                vision: (VisionTranscriber, Bool, VisionFailures)? = nil) async throws -> [Page] {
        // The largest pages first: a large page started last would be read alone on one core
        // while the others have nothing left to do (a document's pages in its order, one of them a
        // 10-megapixel foldout near the end). The pages come back in the file's order all the same.
        let selected: [Int] = (0..<source.pageCount).filter { selection?.contains($0) ?? true }
        let pixels: [Int: Int] = Dictionary(uniqueKeysWithValues: selected.map { ($0, source.pixels(ofPage: $0)) })
        let indexes: [Int] = selected.sorted { a, b in
            let (sizeA, sizeB) = (pixels[a] ?? 0, pixels[b] ?? 0)
            return sizeA != sizeB ? sizeA > sizeB : a < b
        }
        let count = indexes.count
        let pool = self.pool
        return try await withThrowingTaskGroup(of: Page.self) { group in
            var pages: [Page?] = Array(repeating: nil, count: source.pageCount)
            var finished = 0
            func record(_ page: Page) async {
                pages[page.index] = page
                finished += 1
                await progress?(finished, count)
            }
            var inFlight = 0
            for index in indexes {
                try Task.checkCancellation()
                // Each page is loaded (decoded, rendered, or read from its text layer) in its own
                // task, so that the next pages load on the other core while this one is read: a
                // born-digital document is all loading.
                let work: @Sendable () async throws -> Page = {
                    switch try await offload({ try StageTimings.measure(.render) { try source.load(page: index) } }) {
                    case .finished(let loaded):
                        let page = LanguageIdentifier.identifyingLanguage(of: loaded)
                        guard let layout = recognizer.layout else { return page }
                        // A text layer's words get the same reading order and structure (a few ms a page).
                        return StageTimings.measure(.layout) { layout.analyse(page) }
                    case .recognize(let image, let dpi):
                        let page = try await pool.run { worker, cancellation in
                            try recognizer.recognize(image, index: index, dpi: dpi, worker: worker,
                                                     cancellation: cancellation)
                        }
                        guard let (transcriber, handwriting, failures) = vision else { return page }
                        // The model sees the page upright, as the pipeline read it; the pool's
                        // thread is free for other pages while the model works.
                        let upright = try image.rotated(clockwiseDegrees: page.rotation)
                        let (read, failure) = await transcriber.transcribe(page, image: upright, handwriting: handwriting)
                        if let failure { failures.record(page.index, reason: failure) }
                        return read
                    }
                }
                // Keep no more pages in memory than the pool can work on, plus the one loading.
                if inFlight > pool.size, let page = try await group.next() {
                    await record(page)
                    inFlight -= 1
                }
                group.addTask(operation: work)
                inFlight += 1
            }
            for try await page in group { await record(page) }
            return pages.compactMap { $0 }
        }
    }
}

/// A file's type and page count, before any recognition.
public struct FileSummary: Sendable, Equatable, Codable {
    public var format: InputFormat
    public var pageCount: Int

    /// A summary as a worker process reports it.
    public init(format: InputFormat, pageCount: Int) {
        self.format = format
        self.pageCount = pageCount
    }
}

/// Runs blocking work (decoding, rendering, hashing, writing a PDF) on NIO's bounded thread pool,
/// off Swift's cooperative pool; every module that blocks uses this one (the server's file I/O
/// shares the pool). Throws `EngineError.cancelled` when the pool has shut down.
public func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    let work = OffloadedWork(body)
    // The body (and whatever C object it holds last, e.g. a Poppler document) is released on the
    // pool's thread before the caller resumes, never later on another thread while the caller (or
    // exit) goes on.
    return try await NIOThreadPool.singleton.runIfActive { try work.run().get() }
}

/// A closure run once and dropped right after, on the thread that ran it.
private final class OffloadedWork<T: Sendable>: @unchecked Sendable {
    private var body: (@Sendable () throws -> T)?

    init(_ body: @escaping @Sendable () throws -> T) { self.body = body }

    func run() -> Result<T, any Error> {
        guard let body else { return .failure(EngineError.cancelled) }
        self.body = nil
        return Result(catching: body)
    }
}
