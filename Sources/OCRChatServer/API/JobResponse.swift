import Foundation
import Hummingbird
import OCRChatConversion
import OCRChatModel

/// What a job is and where it stands, without its text: a job in a listing, and the first
/// fields of the job object.
struct JobSummary: Encodable, Sendable {
    var uuid: String
    var status: JobStatus
    var tier: String
    var language: String
    var tool: String?
    var fileName: String
    var pageCount: Int
    var pagesDone: Int
    var error: String?
    var createdAt: String
    var finishedAt: String?
    /// The node that reads or read it (several servers sharing one database), null while it waits.
    var node: ExplicitNull<String>

    init(_ job: JobRecord) {
        uuid = job.uuid
        status = job.status
        tier = job.tier
        language = job.language
        tool = job.tool
        fileName = job.fileName
        pageCount = job.pageCount
        pagesDone = job.pagesDone
        error = job.error
        createdAt = JobResponse.timestamp(job.createdAt)
        finishedAt = job.finishedAt.map(JobResponse.timestamp)
        node = ExplicitNull(job.node)
    }

    enum CodingKeys: String, CodingKey {
        case uuid, status, tier, language, tool, error, node
        case fileName = "file_name"
        case pageCount = "page_count"
        case pagesDone = "pages_done"
        case createdAt = "created_at"
        case finishedAt = "finished_at"
    }
}

/// The job object of the contract (`../shared/API.md`), with pages down to lines and words: the
/// summary's fields and the reading's, in one JSON object.
struct JobResponse: ResponseEncodable, Sendable {
    var summary: JobSummary
    var reading: Reading

    /// What the job object adds to the summary: where it stands, and the reading.
    struct Reading: Encodable, Sendable {
        var translateTo: String?
        /// Seconds the job still needs, estimated from the pages done and the time they took: a
        /// number while it is read once a page is done, 0 once done, null before (and when failed).
        var etaSeconds: ExplicitNull<Int>
        /// The completion callback the upload asked for and its tries (absent when it asked for none).
        var callback: CallbackStatus?
        /// The reading's keys; nil leaves them out (they come written, `prepared`).
        var reading: JobReading?

        enum CodingKeys: String, CodingKey {
            case callback
            case translateTo = "translate_to"
            case etaSeconds = "eta_seconds"
        }

        /// One JSON object: these keys and the reading's side by side.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(translateTo, forKey: .translateTo)
            try container.encode(etaSeconds, forKey: .etaSeconds)
            try container.encodeIfPresent(callback, forKey: .callback)
            try reading?.encode(to: encoder)
        }
    }

    init(job: JobRecord, document: Document?, callback: CallbackRecord? = nil) {
        summary = JobSummary(job)
        reading = Reading(translateTo: job.translateTo, etaSeconds: ExplicitNull(Self.etaSeconds(of: job, now: Date())),
                          callback: callback.map { CallbackStatus($0, job: job) }, reading: JobReading(document))
    }

    /// One JSON object: the summary's keys and the reading's side by side.
    func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        try reading.encode(to: encoder)
    }

    /// The job object of a finished job whose reading was written with it (`JobReading`): the
    /// summary and where it stands encoded now, the reading's bytes as they are, in one object.
    static func prepared(job: JobRecord, reading: Data, callback: CallbackRecord?) throws -> Data {
        let encoder = JSONEncoder()
        var object = try encoder.encode(JobSummary(job))
        let standing = try encoder.encode(Reading(translateTo: job.translateTo, etaSeconds: ExplicitNull(Self.etaSeconds(of: job, now: Date())),
                                                  callback: callback.map { CallbackStatus($0, job: job) }, reading: nil))
        for part in [standing, reading] {
            guard part.first == UInt8(ascii: "{"), part.last == UInt8(ascii: "}"), object.last == UInt8(ascii: "}") else {
                throw EncodingError.invalidValue(part, .init(codingPath: [], debugDescription: "not a JSON object"))
            }
            let inner = part.dropFirst().dropLast()
            guard !inner.isEmpty else { continue }
            object.removeLast()
            if object.count > 1 { object.append(UInt8(ascii: ",")) }
            object.append(contentsOf: inner)
            object.append(UInt8(ascii: "}"))
        }
        return object
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
