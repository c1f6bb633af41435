import Foundation
import OCRChatModel

/// What a server needs of an engine: look at a file cheaply, then read it. `OCREngine` does both in
/// this process; a supervisor of worker processes does them in children, so that a native crash
/// on a hostile file costs one child, not the server.
public protocol ServerEngine: Sendable {
    /// The engine's settings: models (to check a language before accepting a job) and limits.
    var configuration: EngineConfiguration { get }

    /// The file's type and page count, with every limit but time checked.
    func inspect(contentsOf url: URL, password: String?) async throws -> FileSummary

    /// The file read into a document; `options.progress` hears of every page finished.
    func recognize(contentsOf url: URL, options: RecognitionOptions) async throws -> Document
}

extension OCREngine: ServerEngine {}
