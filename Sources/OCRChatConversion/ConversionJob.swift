import Foundation
import OCRChatEngine
import OCRChatModel

/// One server job as it goes to its reader (the engine here, or a worker process): the upload,
/// how to read it, the translation asked for, and where each file goes. The reader reads,
/// translates, writes the result and every file made from the original, and answers with the
/// `Outcome` alone; the document never crosses back.
public struct ConversionJob: Codable, Sendable {
    /// The original file (the upload).
    public var source: String
    public var password: String?
    public var language: String
    public var tier: Tier
    public var renderDPI: Int
    /// The preset (tables first, handwriting): it changes how pages are read.
    public var tool: Tool?
    /// The target language, for `tool=translate`.
    public var translateTo: String?
    /// The pages to read (0-based); nil: every page.
    public var pages: Set<Int>?
    /// What to do with pages that have text of their own.
    public var textLayer: TextLayerPolicy = .useWhenUsable
    /// The translator the job translates with (the operator's local model, if any); the
    /// conversion that runs the job sets it.
    public var translation = TranslationSettings()
    /// Where the document goes as JSON: the job's result.
    public var result: String
    /// Where the job object's reading goes (`JobReading`, as the API shows it); nil: none is written.
    public var reading: String?
    /// Where the searchable PDF goes; nil: none is made.
    public var searchablePDF: String?
    /// The folder that receives `<page index>.jpg`; nil: no pictures.
    public var previews: String?
    /// A PDF's page pictures are left to be made when they are asked for (`previewPages`), from
    /// the searchable PDF, which shows its pages as the original does: a born-digital document's
    /// job is then done in the time its text takes. An image's pictures, an encrypted PDF's (its
    /// searchable PDF needs the password, which is not kept) and those of a PDF whose searchable
    /// PDF failed are made with the job as before.
    public var previewsOnDemand = false
    /// Only these pages' pictures (0-based), into a folder that may hold others already; nil:
    /// every page, into a folder made anew.
    public var previewPages: Set<Int>?
    /// The document is at `result` already (an attempt wrote it, then died making the other
    /// files): only the files made from the original are left to make.
    public var resultWritten = false

    public init(source: String, options: RecognitionOptions, translateTo: String?, result: String,
                searchablePDF: String?, previews: String?) {
        self.source = source
        password = options.password
        language = options.language
        tier = options.tier
        renderDPI = options.renderDPI
        tool = options.tool
        pages = options.pages
        textLayer = options.textLayer
        self.translateTo = translateTo
        self.result = result
        self.searchablePDF = searchablePDF
        self.previews = previews
    }

    /// The reading options the job was made from (without a progress handler).
    public var options: RecognitionOptions {
        var options = RecognitionOptions(language: language, tier: tier, password: password, renderDPI: renderDPI, tool: tool)
        options.pages = pages
        options.textLayer = textLayer
        return options
    }

    /// What a job made: its page count, and which files made from the original failed, and why
    /// (the job's text stands without them).
    public struct Outcome: Codable, Sendable, Equatable {
        public var pageCount: Int
        public var searchablePDFFailure: String?
        public var previewsFailure: String?

        public init(pageCount: Int, searchablePDFFailure: String? = nil, previewsFailure: String? = nil) {
            self.pageCount = pageCount
            self.searchablePDFFailure = searchablePDFFailure
            self.previewsFailure = previewsFailure
        }

        /// Every file made from the original that was asked for failed, for the same reason.
        public init(pageCount: Int, failed reason: String, for job: ConversionJob) {
            self.init(pageCount: pageCount, searchablePDFFailure: job.searchablePDF == nil ? nil : reason,
                      previewsFailure: job.previews == nil ? nil : reason)
        }
    }

    /// Runs the job in this process with `engine`: reads (or, with `resultWritten`, loads the
    /// result), translates, writes the result and then the files made from the original. `progress`
    /// hears of every page; `resultStored` is told once the result is on disk, before the other files
    /// are begun (the worker tells the server, so that a crash past it keeps the text).
    public func run(on engine: OCREngine, progress: (@Sendable (Int, Int) async -> Void)? = nil,
                    resultStored: @Sendable (_ pageCount: Int) async -> Void = { _ in }) async throws -> Outcome {
        let resultURL = URL(fileURLWithPath: result)
        let document: Document
        if resultWritten {
            document = try await offload { try JSONDecoder().decode(Document.self, from: Data(contentsOf: resultURL)) }
        } else {
            var options = self.options
            options.progress = progress
            document = try await Conversion(reader: engine, translation: translation)
                .document(contentsOf: URL(fileURLWithPath: source), options: options, translateTo: translateTo)
            let readingURL = reading.map { URL(fileURLWithPath: $0) }
            try await offload {
                guard let readingURL else { return try JSONEncoder().encode(document).write(to: resultURL, options: .atomic) }
                // The reading first: a result on disk is what says the job's text is there.
                let files = try JobReading.files(of: document)
                try files.reading.write(to: readingURL, options: .atomic)
                try files.result.write(to: resultURL, options: .atomic)
            }
        }
        await resultStored(document.pageCount)
        let limits = engine.configuration.limits, threads = engine.configuration.workers
        do {
            return try await offload { writeFiles(from: document, limits: limits, threads: threads) }
        } catch {
            return Outcome(pageCount: document.pageCount, failed: "\(error)", for: self)
        }
    }

    /// Makes the searchable PDF and the page pictures (blocking: qpdf, Poppler and the codecs run
    /// on the caller's thread, and the pictures on `threads` threads). Each file is written whole
    /// under a temporary name and then moved, so a reader never sees half of one.
    private func writeFiles(from document: Document, limits: EngineLimits, threads: Int) -> Outcome {
        var outcome = Outcome(pageCount: document.pageCount)
        let url = URL(fileURLWithPath: source)
        if searchablePDF != nil, textLayer == .ignore, document.sourceFormat == "pdf" {
            // A PDF's pages read anew over text of their own would carry both texts (as `convert`
            // refuses); an image has no text of its own, and its searchable PDF is made as always.
            outcome.searchablePDFFailure = "mode=force reads pages over their own text, and a searchable PDF would carry both; upload with mode=skip or mode=redo for one"
        } else if let searchablePDF {
            do {
                let data = try Conversion.export(document, as: .pdf, original: { try Data(contentsOf: url, options: .mappedIfSafe) },
                                                 password: password)
                try data.write(to: URL(fileURLWithPath: searchablePDF), options: .atomic)
            } catch {
                outcome.searchablePDFFailure = "\(error)"
            }
        }
        let searchablePDFMade = searchablePDF != nil && outcome.searchablePDFFailure == nil
        let deferred = previewsOnDemand && searchablePDFMade && document.sourceFormat == "pdf" && password == nil
        if let previews, !deferred {
            let folder = URL(fileURLWithPath: previews, isDirectory: true)
            do {
                if previewPages == nil {
                    try? FileManager.default.removeItem(at: folder)  // a half-made set from an interrupted attempt
                }
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let pages = previewPages.map { wanted in document.pages.filter { wanted.contains($0.index) } } ?? document.pages
                try PagePreviewMaker(limits: limits).makePreviews(of: url, pages: pages, password: password,
                                                                  threads: threads) { index, jpeg in
                    try jpeg.write(to: folder.appendingPathComponent("\(index).jpg"), options: .atomic)
                }
            } catch {
                outcome.previewsFailure = "\(error)"
            }
        }
        return outcome
    }
}
