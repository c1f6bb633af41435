import ArgumentParser
import Dispatch
import Foundation
import OCRChatBatch
import OCRChatConversion
import OCRChatEngine

/// `ocrchat batch`: a folder in, a mirrored folder of outputs out; resumable, and as a hot folder.
struct BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Convert every image and PDF in a folder, or keep converting files as they arrive.",
        discussion: """
            Every file in IN_DIR (and its sub-folders with --recursive) is recognised from its content; \
            other files are skipped. Outputs mirror the tree under OUT_DIR and keep the input's name: \
            IN_DIR/a/scan.pdf gives OUT_DIR/a/scan.pdf.md; the searchable PDF (--format pdf) of a PDF \
            is OUT_DIR/a/scan.ocr.pdf, of an image OUT_DIR/a/scan.png.pdf. Running the same command again converts only \
            new and changed files (OUT_DIR/.ocrchat-batch.json remembers what was done). Every input's \
            outcome is in OUT_DIR/ocrchat-report.json; the exit code is 1 when any file failed.
            """
    )

    @Argument(help: "The folder to convert.")
    var inputFolder: String

    @Argument(help: "Where the outputs go (created if needed; may lie inside IN_DIR).")
    var outputFolder: String

    @Option(name: .shortAndLong, help: "Output formats, comma-separated: txt, md, json, csv, docx, hocr, alto, pdf (searchable: scan.pdf gives scan.ocr.pdf).")
    var format: String = "txt"

    @Option(help: "Engine tier: cpu (fast, default) or vlm (slower, more accurate on poor scans).")
    var tier: Tier = .cpu

    @Option(help: "A preset: extract-tables (look hard for tables; csv is the tables), handwriting-to-text (the vlm tier), translate (with --translate-to).")
    var tool: Tool?

    @Option(help: "Translate the text into this language (es, spa, fr, pt, …) with Apertium, or with the local model (--llm-url) for pairs Apertium does not have; implies --tool translate. JSON keeps the original beside the translation; the other formats are the translation (a searchable PDF's hidden text stays the page's own).")
    var translateTo: String?

    @OptionGroup var localModel: LocalModelOptions

    @Option(name: .shortAndLong, help: "auto (default), a short code (en, de, fr, …) or Tesseract names (eng, deu+eng).")
    var language: String = "auto"

    @Flag(name: .shortAndLong, help: "Convert the files in sub-folders too.")
    var recursive = false

    @Flag(help: "Keep running and convert files as they appear; stop with Ctrl-C or SIGTERM.")
    var watch = false

    @Flag(help: "Move finished originals to IN_DIR/done/ and failed ones to IN_DIR/failed/.")
    var moveOriginals = false

    @Option(help: "With --watch: seconds a file's size and time must stay the same before it is taken.")
    var settleSeconds: Double = 2

    @OptionGroup var engineOptions: EngineOptions

    func validate() throws {
        do {
            _ = try BatchOutputs.parseFormats(format)
            _ = try LanguageCodes.tesseractLanguage(for: language)
        } catch {
            throw ValidationError("\(error)")
        }
        try localModel.validateTranslation(tool: tool, source: language, target: translateTo)
        if settleSeconds < 0 { throw ValidationError("--settle-seconds must not be negative") }
    }

    func run() async throws {
        engineOptions.bootstrapLogging()
        let configuration = try batchConfiguration()
        do { try configuration.validate() } catch { throw CleanExit.failure("\(error)") }
        let engine = try engineOptions.makeEngine()
        let runner = BatchRunner(
            configuration: {
                var configuration = configuration
                configuration.concurrentDocuments = 2 * engine.configuration.workers
                return configuration
            }(),
            conversion: Conversion(reader: engine, translation: localModel.translation),
            progress: ConsoleProgress(style: Self.progressStyle(), write: { text in
                FileHandle.standardError.write(Data(text.utf8))
            }))

        let (report, signal) = try await Self.runStoppable(runner)
        if let signal, !watch, report.summary.stopped {
            throw ExitCode(128 + signal)  // interrupted part-way, as shells report a signal
        }
        if !watch && report.summary.failed > 0 { throw ExitCode.failure }
    }

    private func batchConfiguration() throws -> BatchConfiguration {
        BatchConfiguration(
            inputFolder: URL(fileURLWithPath: inputFolder), outputFolder: URL(fileURLWithPath: outputFolder),
            formats: try BatchOutputs.parseFormats(format),
            recognition: RecognitionOptions(language: language, tier: tool == .handwritingToText ? .vlm : tier,
                                            tool: translateTo != nil ? .translate : tool),
            translateTo: translateTo, recursive: recursive, watch: watch ? WatchSettings(settleSeconds: settleSeconds) : nil,
            moveOriginals: moveOriginals)
    }

    /// A bar on a terminal, plain lines in a log or a pipe.
    static func progressStyle() -> ConsoleProgress.Style {
        guard isatty(STDERR_FILENO) == 1 else { return .lines }
        var size = winsize()
        let columns = ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 ? Int(size.ws_col) : 0
        return .bar(width: columns > 20 ? columns - 1 : 79)
    }

    /// Runs the batch until it ends or SIGINT/SIGTERM arrives. A first signal cancels it (the
    /// runner then abandons the documents in hand and writes its manifest and report); a second
    /// one ends the process at once, which is safe since every file is written atomically.
    private static func runStoppable(_ runner: BatchRunner) async throws -> (BatchReport, Int32?) {
        let (signals, continuation) = AsyncStream<Int32>.makeStream()
        let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)  // the default action would kill us before the source sees it
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            let received = SignalCount()
            source.setEventHandler {
                if received.increment() > 1 { Foundation.exit(128 + number) }
                continuation.yield(number)
            }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }

        enum Event: Sendable {
            case finished(Result<BatchReport, any Error>)
            case signal(Int32)
        }
        return try await withThrowingTaskGroup(of: Event?.self) { group in
            group.addTask {
                do { return .finished(.success(try await runner.run())) } catch { return .finished(.failure(error)) }
            }
            group.addTask {
                for await number in signals { return .signal(number) }
                return nil  // cancelled: the batch ended on its own
            }
            var received: Int32?
            while let event = try await group.next() {
                switch event {
                case .signal(let number):
                    received = number
                    group.cancelAll()
                case .finished(let result):
                    group.cancelAll()
                    do {
                        return (try result.get(), received)
                    } catch let error as BatchError {
                        throw CleanExit.failure("\(error)")
                    }
                case nil:
                    continue
                }
            }
            throw CleanExit.failure("the batch ended without a report")
        }
    }
}

/// Counts signals across Dispatch handlers: SIGINT and SIGTERM share it per signal.
private final class SignalCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    /// Adds one and returns the new count.
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
}
