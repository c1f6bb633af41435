import Foundation
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
