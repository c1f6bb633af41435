import Foundation
import Logging
import OCRChatModel
@_exported import struct OCRChatNeural.NeuralModelLocator
// What a caller asks and what the engine can refuse are shared vocabulary (the server speaks it
// without the engine); re-exported so that a caller of the engine sees them as before.
@_exported import enum OCRChatModel.EngineError
@_exported import struct OCRChatModel.RecognitionOptions
@_exported import enum OCRChatModel.Tier
@_exported import enum OCRChatModel.Tool

/// Limits that keep one hostile or absurd file from taking the machine: checked before decoding.
public struct EngineLimits: Sendable, Equatable, Codable {
    /// Largest file accepted, in bytes.
    public var maxFileBytes: Int
    /// Most pixels one page may have (width × height, from the header before decoding). PDF pages
    /// larger than this at the render resolution are rendered at a lower resolution instead.
    public var maxPixelsPerPage: Int
    /// Most pages one file may have.
    public var maxPages: Int
    /// Longest Tesseract may spend on one page, in seconds.
    public var secondsPerPage: Double

    public init(maxFileBytes: Int = 512 << 20, maxPixelsPerPage: Int = 150_000_000, maxPages: Int = 5_000,
                secondsPerPage: Double = 300) {
        self.maxFileBytes = maxFileBytes
        self.maxPixelsPerPage = maxPixelsPerPage
        self.maxPages = maxPages
        self.secondsPerPage = secondsPerPage
    }
}

/// How the engine is set up: once per process.
public struct EngineConfiguration: Sendable {
    /// Recognition threads, each with its own Tesseract handles (default: one a core).
    public var workers: Int
    /// Where models are looked for.
    public var models: ModelLocator
    /// Limits applied to every file.
    public var limits: EngineLimits
    public var logger: Logger
    /// A local vision model the vlm tier sends pages to; nil: the neural recogniser alone.
    public var visionModel: VisionModelEndpoint?
    /// Where the vlm tier's neural models (PP-OCR) and ONNX Runtime are found.
    public var neuralModels: NeuralModelLocator

    public init(workers: Int = ProcessInfo.processInfo.activeProcessorCount, models: ModelLocator = .standard(),
                limits: EngineLimits = EngineLimits(), logger: Logger = Logger(label: "ocrchat.engine"),
                visionModel: VisionModelEndpoint? = nil, neuralModels: NeuralModelLocator = .standard()) {
        self.workers = workers
        self.models = models
        self.limits = limits
        self.logger = logger
        self.visionModel = visionModel
        self.neuralModels = neuralModels
    }
}
