import Foundation
import Logging
import OCRChatConversion
import OCRChatEngine
import OCRChatModel

/// What the server asks of a worker process: one file, by path (the upload is already on disk).
enum WorkerRequest: Codable, Sendable {
    /// Type and page count, limits checked: what the server must know before it accepts a job
    /// (the charge, a 402, and whether the job is read within the request depend on the page count).
    case inspect(path: String, password: String?)
    /// A whole job: read, translate, write the result and every file made from the original;
    /// answered with the outcome alone.
    case convert(ConversionJob)

    /// The file the request is about.
    var path: String {
        switch self {
        case .inspect(let path, _): path
        case .convert(let job): job.source
        }
    }

    /// Its name in the logs.
    var name: String {
        switch self {
        case .inspect: "inspect"
        case .convert: "convert"
        }
    }
}

/// What a worker answers: any number of `progress` frames (and for a job, one `resultStored`),
/// then exactly one of the others.
enum WorkerReply: Codable, Sendable {
    /// Pages finished so far, of the page count.
    case progress(done: Int, total: Int)
    /// The job's result is on disk, with this many pages: a crash from here on costs only the
    /// files made from the original, never the text.
    case resultStored(pageCount: Int)
    case summary(FileSummary)
    case converted(ConversionJob.Outcome)
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
