import Foundation
import OCRChatBatch
import OCRChatConversion
import OCRChatEngine
import OCRChatModel

/// The repository's Samples/ folder.
let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Samples")

/// A fresh folder under the temporary directory, removed by `remove()`.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    /// Writes `data` at `path` below the folder, creating folders on the way.
    @discardableResult
    func write(_ data: Data, at path: String) throws -> URL {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
        return file
    }

    /// Copies a sample to `path` below the folder.
    @discardableResult
    func copySample(_ name: String, to path: String) throws -> URL {
        try write(Data(contentsOf: samples.appendingPathComponent(name)), at: path)
    }
}

/// A stand-in for the engine when a test looks at the batch alone: every file gives a one-page
/// document after `delay` seconds, and files whose name contains "bad" fail. The batch only reads.
struct FakeReader: DocumentReader {
    var delay: Double = 0

    func requireLanguage(_ language: String) throws {}

    func installedModels() -> [InstalledModel] { [] }

    func inspect(contentsOf url: URL, password: String?) async throws -> FileSummary {
        FileSummary(format: .png, pageCount: 1)
    }

    func convert(_ job: ConversionJob, progress: (@Sendable (Int, Int) async -> Void)?) async throws -> ConversionJob.Outcome {
        throw EngineError.nativeFailure(call: "FakeReader", detail: "a batch runs no server jobs")
    }

    func recognize(contentsOf url: URL, options: RecognitionOptions) async throws -> Document {
        if delay > 0 { try await Task.sleep(for: .seconds(delay)) }
        if url.lastPathComponent.contains("bad") { throw EngineError.unreadable(format: "PNG", detail: "truncated") }
        let word = Word(text: url.lastPathComponent, bbox: BoundingBox(x0: 0, y0: 0, x1: 10, y1: 10), confidence: 0.9)
        let line = Line(bbox: word.bbox, confidence: 0.9, words: [word])
        let page = Page(index: 0, width: 100, height: 100, dpi: 300, rotation: 0, source: .ocr, language: "eng",
                        blocks: [Block(bbox: word.bbox, confidence: 0.9, lines: [line])])
        await options.progress?(1, 1)
        return Document(pages: [page], requestedLanguage: options.language, tier: options.tier.rawValue, engine: "fake",
                        sourceFormat: "png")
    }
}

/// Collects what a `ConsoleProgress` prints.
final class PrintedText: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""

    var value: String {
        lock.lock()
        defer { lock.unlock() }
        return text
    }

    func append(_ more: String) {
        lock.lock()
        text += more
        lock.unlock()
    }
}
