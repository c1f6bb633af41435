import ArgumentParser
import Foundation
import Logging
import OCRChatEngine

/// The `ocrchat` command: a local, offline OCR engine and server.
@main
struct OCRChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocrchat",
        abstract: "Local, offline OCR: images and PDFs to text, Markdown and JSON.",
        subcommands: [ConvertCommand.self, BatchCommand.self, ServeCommand.self, SubmitCommand.self, TokenCommand.self, LanguagesCommand.self, VersionCommand.self,
                      DoctorCommand.self,
                      WorkerCommand.self, FuzzCommand.self, BenchQueueCommand.self]
    )

    /// Tesseract's OpenMP runtime reads OMP_THREAD_LIMIT once, when the library loads, before any
    /// Swift code runs; so the process first restarts itself with the limit set, then parses and
    /// runs the command as `AsyncParsableCommand.main()` would.
    static func main() async {
        SingleThreadedOpenMP.ensure()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// Options every command that runs the engine shares.
struct EngineOptions: ParsableArguments {
    @Option(help: "Recognition threads (default: one a core).")
    var jobs: Int?

    @Option(help: "Most pixels a page may have, in megapixels.")
    var maxMegapixels: Double = 150

    @Option(help: "Most pages a file may have.")
    var maxPages: Int = 5_000

    @Option(help: "Largest file accepted, in MiB.")
    var maxFileMib: Int = 512

    @Option(help: "Longest recognition of one page may take, in seconds.")
    var pageTimeout: Double = 300

    @Flag(name: .shortAndLong, help: "Log what the engine does to stderr.")
    var verbose = false

    @Option(help: "Folder of the vlm tier's PP-OCR models (default: OCRCHAT_MODELS_DIR, else the installed rapidocr wheel's).")
    var modelsDir: String?

    /// Where the vlm tier finds its models and ONNX Runtime (`OCRCHAT_ONNXRUNTIME` names the library).
    var neuralModels: NeuralModelLocator {
        var locator = NeuralModelLocator.standard()
        if let modelsDir { locator.modelsDirectory = modelsDir }
        return locator
    }

    @Option(help: "A local OpenAI-compatible vision model endpoint the vlm tier sends pages to (http://127.0.0.1:8081/v1).")
    var vlmUrl: String?

    @Option(help: "The model name sent to --vlm-url.")
    var vlmModel: String?

    /// The vision model these options name, or nil.
    func visionModel(url: String? = nil, model: String? = nil) throws -> VisionModelEndpoint? {
        guard let text = vlmUrl ?? url else { return nil }
        guard let parsed = URL(string: text), let scheme = parsed.scheme, ["http", "https"].contains(scheme), parsed.host != nil else {
            throw ValidationError("--vlm-url must be an http(s) URL such as http://127.0.0.1:8081/v1")
        }
        guard let name = vlmModel ?? model, !name.isEmpty else { throw ValidationError("--vlm-url needs --vlm-model") }
        return VisionModelEndpoint(url: parsed, model: name)
    }

    /// The engine limits these options describe.
    var limits: EngineLimits {
        EngineLimits(maxFileBytes: maxFileMib << 20, maxPixelsPerPage: Int(maxMegapixels * 1_000_000),
                     maxPages: maxPages, secondsPerPage: pageTimeout)
    }

    /// Starts the engine, or ends the command with one clear line.
    func makeEngine(logger: Logger = Logger(label: "ocrchat.engine"), visionModel: VisionModelEndpoint? = nil) throws -> OCREngine {
        do {
            return try OCREngine(configuration: EngineConfiguration(
                workers: jobs ?? ProcessInfo.processInfo.activeProcessorCount, limits: limits, logger: logger,
                visionModel: visionModel ?? self.visionModel(), neuralModels: neuralModels))
        } catch {
            throw CleanExit.failure("\(error)")
        }
    }

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if maxMegapixels <= 0 { throw ValidationError("--max-megapixels must be positive") }
        if maxPages < 1 { throw ValidationError("--max-pages must be at least 1") }
        if maxFileMib < 1 { throw ValidationError("--max-file-mib must be at least 1") }
        if pageTimeout <= 0 { throw ValidationError("--page-timeout must be positive") }
        if vlmModel != nil && vlmUrl == nil { throw ValidationError("--vlm-model needs --vlm-url") }
        _ = try visionModel()
    }

    /// Sets up logging once per process: `quietLevel` by default, everything with --verbose.
    func bootstrapLogging(quietLevel: Logger.Level = .warning) {
        Self.bootstrapLogging(verbose: verbose, quietLevel: quietLevel)
    }

    /// Set by `serve --log-format json` for its worker processes, whose lines go to the same journal.
    static let jsonLogsVariable = "OCRCHAT_LOG_FORMAT"

    /// Sets up logging once per process (a worker, whose settings say whether it is verbose): text
    /// lines, or JSON lines when `json` is set or the server that started this worker asked for them.
    static func bootstrapLogging(verbose: Bool, quietLevel: Logger.Level = .warning, json: Bool? = nil) {
        let level: Logger.Level = verbose ? .debug : quietLevel
        let json = json ?? (ProcessInfo.processInfo.environment[jsonLogsVariable] == "json")
        LoggingSystem.bootstrap { label in
            guard json else {
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            var handler = JSONLinesLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
