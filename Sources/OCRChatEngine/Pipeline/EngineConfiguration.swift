import Foundation
import Logging
@_exported import struct OCRChatNeural.NeuralModelLocator

/// Limits that keep one hostile or absurd file from taking the machine: checked before decoding.
public struct EngineLimits: Sendable, Equatable {
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

/// The engine profile a caller asks for.
public enum Tier: String, Sendable, CaseIterable, Codable {
    /// Fast recognition of printed text: Tesseract's LSTM with automatic layout.
    case cpu
    /// The premium tier: PP-OCR's neural recogniser beside Tesseract, line by line, and a local
    /// vision model where one is configured.
    case vlm
}

/// What a caller asks of one file.
public struct RecognitionOptions: Sendable {
    /// `auto`, a short code (`en`, `ch`) or Tesseract names (`deu+eng`).
    public var language: String
    public var tier: Tier
    /// Opens an encrypted PDF.
    public var password: String?
    /// Resolution PDF pages are rendered at.
    public var renderDPI: Int
    /// Told after each page: (pages finished, page count).
    public var progress: (@Sendable (Int, Int) async -> Void)?
    /// The preset the job is for (`extract-tables`, …); nil for plain text.
    public var tool: Tool?

    public init(language: String = "auto", tier: Tier = .cpu, password: String? = nil, renderDPI: Int = 300,
                progress: (@Sendable (Int, Int) async -> Void)? = nil, tool: Tool? = nil) {
        self.language = language
        self.tier = tier
        self.password = password
        self.renderDPI = renderDPI
        self.progress = progress
        self.tool = tool
    }
}
