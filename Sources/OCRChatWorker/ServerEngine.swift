import Foundation
import OCRChatEngine
import OCRChatModel

/// What a server needs of an engine: look at a file cheaply, read it, then make what is made from
/// the original (the searchable PDF, the page pictures). `OCREngine` does all of it in this
/// process; `WorkerPool` does it in child processes, so that a native crash on a hostile file
/// costs one child, not the server, and no decoder ever opens an upload in the server.
public protocol ServerEngine: Sendable {
    /// The engine's settings: models (to check a language before accepting a job) and limits.
    var configuration: EngineConfiguration { get }

    /// The file's type and page count, with every limit but time checked.
    func inspect(contentsOf url: URL, password: String?) async throws -> FileSummary

    /// The file read into a document; `options.progress` hears of every page finished.
    func recognize(contentsOf url: URL, options: RecognitionOptions) async throws -> Document

    /// Writes the files made from the original and the final document. Never throws: what could
    /// not be made is in the outcome (the job's text stands without them).
    func writeDerivedFiles(_ files: DerivedFiles) async -> DerivedFiles.Outcome
}

extension OCREngine: ServerEngine {
    public func writeDerivedFiles(_ files: DerivedFiles) async -> DerivedFiles.Outcome {
        let limits = configuration.limits
        let threads = configuration.workers
        do {
            return try await offload { files.write(limits: limits, threads: threads) }
        } catch {
            return DerivedFiles.Outcome(failed: "\(error)", for: files)
        }
    }
}
