import Foundation
import Hummingbird
import OCRChatExport
import OCRChatModel

/// The job object of the contract (`../shared/API.md`), with pages down to lines and words.
struct JobResponse: ResponseEncodable, Sendable {
    var uuid: String
    var status: JobStatus
    var tier: String
    var language: String
    var tool: String?
    var translateTo: String?
    var fileName: String
    var pageCount: Int
    var pagesDone: Int
    /// Seconds the job still needs, estimated from the pages done and the time they took: a
    /// number while it is read once a page is done, 0 once done, null before (and when failed).
    var etaSeconds: ExplicitNull<Int>
    var meanConfidence: Double?
    var text: String
    var markdown: String
    var pages: [Page]
    /// The languages found (BCP 47 tags, the most text first); `language` stays what was asked.
    var detectedLanguages: [String]
    var engine: String?
    /// What the caller should know about how the result was made (always present, often empty).
    var warnings: [String]
    /// The whole text translated, with `tool=translate`; `text` stays the original.
    var translation: String?
    var error: String?
    var createdAt: String
    var finishedAt: String?
    /// The node that reads or read it (several servers sharing one database), null while it waits.
    var node: ExplicitNull<String>

    init(job: JobRecord, document: Document?) {
        uuid = job.uuid
        status = job.status
        tier = job.tier
        language = job.language
        tool = job.tool
        translateTo = job.translateTo
        fileName = job.fileName
        pageCount = job.pageCount
        pagesDone = job.pagesDone
        etaSeconds = ExplicitNull(Self.etaSeconds(of: job, now: Date()))
        meanConfidence = document?.meanConfidence.roundedForOutput
        text = document?.text ?? ""
        markdown = document.map { MarkdownExporter().render($0) } ?? ""
        pages = document?.pages ?? []
        detectedLanguages = document?.detectedLanguages ?? []
        engine = document?.engine
        warnings = document?.warnings ?? []
        translation = document?.translation
        error = job.error
        createdAt = Self.timestamp(job.createdAt)
        finishedAt = job.finishedAt.map(Self.timestamp)
        node = ExplicitNull(job.node)
    }

    enum CodingKeys: String, CodingKey {
        case uuid, status, tier, language, tool, text, markdown, pages, engine, error, warnings, translation, node
        case translateTo = "translate_to"
        case fileName = "file_name"
        case pageCount = "page_count"
        case pagesDone = "pages_done"
        case etaSeconds = "eta_seconds"
        case detectedLanguages = "detected_languages"
        case meanConfidence = "mean_confidence"
        case createdAt = "created_at"
        case finishedAt = "finished_at"
    }

    /// The time left: the seconds a page has taken so far (from the start of this attempt to the
    /// last page finished, which is when the row was last updated) times the pages left, less the
    /// time since that page; at least a second while pages are left.
    static func etaSeconds(of job: JobRecord, now: Date) -> Int? {
        switch job.status {
        case .done:
            return 0
        case .pending, .failed:
            return nil
        case .processing:
            guard job.pagesDone > 0, let started = job.startedAt else { return nil }
            let left = max(0, job.pageCount - job.pagesDone)
            guard left > 0 else { return 0 }
            let perPage = max(0, job.updatedAt.timeIntervalSince(started)) / Double(job.pagesDone)
            let remaining = perPage * Double(left) - max(0, now.timeIntervalSince(job.updatedAt))
            return max(1, Int(remaining.rounded(.up)))
        }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}

/// An optional written as `null` when it is nil, where a client should see that the field exists
/// (synthesised encoding leaves a nil optional out).
struct ExplicitNull<Wrapped: Encodable & Sendable>: Encodable, Sendable {
    var value: Wrapped?

    init(_ value: Wrapped?) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}
