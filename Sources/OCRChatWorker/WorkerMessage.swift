import Foundation
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
    }

    var kind: Kind
    var path: String
    var password: String?
    var language: String
    var tier: Tier
    var renderDPI: Int

    init(kind: Kind, path: String, options: RecognitionOptions) {
        self.kind = kind
        self.path = path
        password = options.password
        language = options.language
        tier = options.tier
        renderDPI = options.renderDPI
    }

    var options: RecognitionOptions {
        RecognitionOptions(language: language, tier: tier, password: password, renderDPI: renderDPI)
    }
}

/// What a worker answers: any number of `progress` frames, then exactly one of the others.
enum WorkerReply: Codable, Sendable {
    /// Pages finished so far, of the page count.
    case progress(done: Int, total: Int)
    case summary(FileSummary)
    case document(Document)
    /// The engine refused or failed (the same error the in-process engine would throw).
    case failure(EngineError)
    /// Anything else that went wrong in the worker, as a message.
    case otherFailure(String)
}
