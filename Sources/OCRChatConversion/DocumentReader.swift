import Foundation
import OCRChatEngine
import OCRChatModel

/// The reader every front end uses: check a language, look at a file cheaply, read it, or run a whole
/// server job (read, translate, write the result, the searchable PDF and the page pictures). `OCREngine` does all
/// of it in this process; `WorkerPool` (OCRChatWorker) does it in supervised child processes, so
/// that a native crash on a hostile file costs one child, not the server.
public protocol DocumentReader: Sendable {
    /// Throws the `EngineError` that says what is missing when `language` (`auto`, `en`,
    /// `deu+eng`, …) is unknown or its models are not installed.
    func requireLanguage(_ language: String) throws

    /// The language and script models installed here, each with the codes that name it besides
    /// its own (`fr`, `fre` for `fra`), shortest first: what `/api/v1/languages/` lists.
    func installedModels() -> [InstalledModel]

    /// The file's type and page count, with every limit but time checked.
    func inspect(contentsOf url: URL, password: String?) async throws -> FileSummary

    /// The file read into a document; `options.progress` hears of every page finished.
    func recognize(contentsOf url: URL, options: RecognitionOptions) async throws -> Document

    /// Runs a whole job: reads, translates, writes the result and the files made from the
    /// original, where the job says. Throws when the document cannot be read; a file made from the
    /// original that fails is in the outcome (the job's text stands without it).
    func convert(_ job: ConversionJob, progress: (@Sendable (Int, Int) async -> Void)?) async throws -> ConversionJob.Outcome

    /// Runs a job whose result is written already (`resultWritten`) for the files it asks for (a
    /// page picture asked for now), on the lane of quick requests: it does not wait behind the
    /// jobs being read.
    func makeFiles(_ job: ConversionJob) async throws -> ConversionJob.Outcome

    /// Its worker processes, for `/metrics`; nil for a reader that has none (the engine in this process).
    func activity() -> ReaderActivity?
}

/// A reader's worker processes: how many, how many busy now, how many died since it started.
public struct ReaderActivity: Sendable, Equatable {
    public var workers: Int
    public var busy: Int
    public var crashes: Int

    public init(workers: Int, busy: Int, crashes: Int) {
        self.workers = workers
        self.busy = busy
        self.crashes = crashes
    }
}

extension DocumentReader {
    /// No worker processes.
    public func activity() -> ReaderActivity? { nil }

    /// A reader with one lane runs it as any job.
    public func makeFiles(_ job: ConversionJob) async throws -> ConversionJob.Outcome {
        try await convert(job, progress: nil)
    }
}

/// A model installed here (`fra`, `chi_tra`, `Latin`) and the other codes that name it.
public struct InstalledModel: Sendable, Equatable {
    public var model: String
    public var codes: [String]
}

extension EngineConfiguration {
    /// Throws when `language` is unknown or a model it needs is not installed here.
    public func requireLanguage(_ language: String) throws {
        if let tesseractLanguage = try LanguageCodes.tesseractLanguage(for: language) {
            try models.requireInstalled(tesseractLanguage)
        }
    }

    /// The models `models` finds, with their codes.
    public func installedModels() -> [InstalledModel] {
        let installed = models.installedLanguages
        let codes = LanguageCodes.shortCodes(by: installed)
        return installed.map { InstalledModel(model: $0, codes: codes[$0] ?? []) }
    }
}

extension OCREngine: DocumentReader {
    public func requireLanguage(_ language: String) throws {
        try configuration.requireLanguage(language)
    }

    public func installedModels() -> [InstalledModel] {
        configuration.installedModels()
    }

    public func convert(_ job: ConversionJob, progress: (@Sendable (Int, Int) async -> Void)?) async throws -> ConversionJob.Outcome {
        try await job.run(on: self, progress: progress)
    }
}
