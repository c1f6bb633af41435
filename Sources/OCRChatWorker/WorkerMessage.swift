import Foundation
import Logging
import OCRChatConversion
import OCRChatEngine
import OCRChatModel

/// What the server asks of a worker process: one file, by path (the upload is already on disk),
/// with the caller's options.
struct WorkerRequest: Codable, Sendable {
    enum Kind: String, Codable, Sendable {
        /// Type and page count, limits checked (what the server needs before it accepts a job).
        case inspect
        /// The whole document.
        case recognize
        /// The searchable PDF and page pictures of a finished document (`derived`).
        case derive
    }

    var kind: Kind
    var path: String
    var password: String?
    var language: String
    var tier: Tier
    var renderDPI: Int
    /// The preset (tables first, handwriting): it changes how pages are read.
    var tool: Tool?
    /// What to make, for `derive`.
    var derived: DerivedFiles?

    init(kind: Kind, path: String, options: RecognitionOptions) {
        self.kind = kind
        self.path = path
        password = options.password
        language = options.language
        tier = options.tier
        renderDPI = options.renderDPI
        tool = options.tool
    }

    init(deriving files: DerivedFiles) {
        self.init(kind: .derive, path: files.source, options: RecognitionOptions(password: files.password))
        derived = files
    }

    var options: RecognitionOptions {
        RecognitionOptions(language: language, tier: tier, password: password, renderDPI: renderDPI, tool: tool)
    }
}

/// What a worker answers: any number of `progress` frames, then exactly one of the others.
enum WorkerReply: Codable, Sendable {
    /// Pages finished so far, of the page count.
    case progress(done: Int, total: Int)
    case summary(FileSummary)
    case document(Document)
    case derived(DerivedFiles.Outcome)
    /// The engine refused or failed (the same error the in-process engine would throw).
    case failure(EngineError)
    /// Anything else that went wrong in the worker, as a message.
    case otherFailure(String)
}

/// The settings a worker's engine starts with: the first frame the server sends, before any
/// request, so that the child never parses back command-line flags the server put together.
public struct WorkerSettings: Codable, Sendable, Equatable {
    /// Recognition threads of the worker's engine.
    public var threads: Int
    public var limits: EngineLimits
    /// The local vision model the vlm tier sends pages to, if one is configured.
    public var visionModel: VisionModel?
    /// Where the vlm tier's models and ONNX Runtime are looked for first (nil: the standard search).
    public var neuralModelsDirectory: String?
    public var onnxRuntimeLibrary: String?
    /// Log everything the engine does (the server's `--verbose`).
    public var verbose: Bool
    /// Address space the worker may use, in MiB (0: no limit).
    public var memoryLimitMiB: Int

    /// A vision model endpoint as it crosses the pipe.
    public struct VisionModel: Codable, Sendable, Equatable {
        public var url: URL
        public var model: String
        public var timeout: Double
    }

    /// The settings that give a worker the same engine as `engine` (its own threads and models).
    public init(engine: EngineConfiguration, verbose: Bool, memoryLimitMiB: Int) {
        threads = engine.workers
        limits = engine.limits
        visionModel = engine.visionModel.map { VisionModel(url: $0.url, model: $0.model, timeout: $0.timeout) }
        neuralModelsDirectory = engine.neuralModels.modelsDirectory
        onnxRuntimeLibrary = engine.neuralModels.libraryPath
        self.verbose = verbose
        self.memoryLimitMiB = memoryLimitMiB
    }

    /// The engine configuration these settings describe, logging to `logger`.
    public func engineConfiguration(logger: Logger) -> EngineConfiguration {
        EngineConfiguration(
            workers: threads, limits: limits, logger: logger,
            visionModel: visionModel.map { VisionModelEndpoint(url: $0.url, model: $0.model, timeout: $0.timeout) },
            neuralModels: NeuralModelLocator(modelsDirectory: neuralModelsDirectory, libraryPath: onnxRuntimeLibrary))
    }
}
