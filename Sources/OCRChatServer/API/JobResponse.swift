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
    }

    enum CodingKeys: String, CodingKey {
        case uuid, status, tier, language, tool, text, markdown, pages, engine, error, warnings, translation
        case translateTo = "translate_to"
        case fileName = "file_name"
        case pageCount = "page_count"
        case pagesDone = "pages_done"
        case detectedLanguages = "detected_languages"
        case meanConfidence = "mean_confidence"
        case createdAt = "created_at"
        case finishedAt = "finished_at"
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
