import Foundation
import GRDB

/// A job's completion callback (the upload's `callback_url`) and how its delivery stands: the
/// tries so far, when the next one is due, and whether it is over (delivered, or given up on).
struct CallbackRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "job_callback"

    var jobUUID: String
    var url: String
    /// The tries so far, oldest first, as JSON (`[CallbackAttempt]`): one column on either database.
    var attempts: String = "[]"
    /// When the next try may start (nil: as soon as the job has ended). While a node is sending,
    /// the end of its hold, so that no other node sends the same callback at the same time.
    var dueAt: Date? = nil
    /// Delivered (a 2xx answer), or given up on after the last try.
    var closed = false

    enum CodingKeys: String, CodingKey {
        case url, attempts, closed
        case jobUUID = "job_uuid"
        case dueAt = "due_at"
    }

    /// The tries, decoded.
    var decodedAttempts: [CallbackAttempt] {
        (try? CallbackAttempt.decoder.decode([CallbackAttempt].self, from: Data(attempts.utf8))) ?? []
    }

    /// `attempt` added to the tries; closed when it was delivered or was the last of `maxAttempts`,
    /// else due again after the back-off (`firstRetry`, doubled after each failure, at most an hour).
    func adding(_ attempt: CallbackAttempt, maxAttempts: Int, firstRetry: TimeInterval) -> CallbackRecord {
        var next = self
        let tries = decodedAttempts + [attempt]
        next.attempts = String(decoding: (try? CallbackAttempt.encoder.encode(tries)) ?? Data("[]".utf8), as: UTF8.self)
        next.closed = attempt.delivered || tries.count >= maxAttempts
        next.dueAt = next.closed ? nil
            : attempt.at.addingTimeInterval(min(3600, firstRetry * pow(2, Double(tries.count - 1))))
        return next
    }
}

/// One try at delivering a callback.
struct CallbackAttempt: Codable, Sendable, Equatable {
    var at: Date
    /// The receiver's HTTP status; nil when no answer came (refused, timed out, unreadable).
    var httpStatus: Int?
    /// Why it did not count as delivered; nil when it did.
    var error: String?
    /// The node that sent it.
    var node: String

    var delivered: Bool { error == nil }

    enum CodingKeys: String, CodingKey {
        case at, error, node
        case httpStatus = "http_status"
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(JobResponse.timestamp(date))
        }
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            guard let date = formatter.date(from: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a timestamp: \(text)"))
            }
            return date
        }
        return decoder
    }()
}

/// The callback as the job object shows it (`"callback"`): where it goes, where it stands, each try.
struct CallbackStatus: Encodable, Sendable {
    var url: String
    /// `waiting` (the job has not ended), `sending` (due, or being sent), `retrying` (a try failed,
    /// another is due at `next_attempt_at`), `delivered`, or `failed` (every try failed).
    var state: String
    var attempts: [CallbackAttempt]
    var nextAttemptAt: ExplicitNull<String>

    init(_ record: CallbackRecord, job: JobRecord) {
        url = record.url
        attempts = record.decodedAttempts
        let ended = job.status == .done || job.status == .failed
        switch (ended, record.closed, attempts.last) {
        case (false, _, _): state = "waiting"
        case (true, true, let last): state = last?.delivered == true ? "delivered" : "failed"
        case (true, false, nil): state = "sending"
        case (true, false, .some): state = "retrying"
        }
        nextAttemptAt = ExplicitNull(ended && !record.closed ? JobResponse.timestamp(record.dueAt ?? Date()) : nil)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(url, forKey: .url)
        try container.encode(state, forKey: .state)
        try container.encode(nextAttemptAt, forKey: .nextAttemptAt)
        var list = container.nestedUnkeyedContainer(forKey: .attempts)
        for attempt in attempts {
            var item = list.nestedContainer(keyedBy: CallbackAttempt.CodingKeys.self)
            try item.encode(JobResponse.timestamp(attempt.at), forKey: .at)
            try item.encode(ExplicitNull(attempt.httpStatus), forKey: .httpStatus)
            try item.encode(ExplicitNull(attempt.error), forKey: .error)
            try item.encode(attempt.node, forKey: .node)
        }
    }

    enum CodingKeys: String, CodingKey {
        case url, state, attempts
        case nextAttemptAt = "next_attempt_at"
    }
}
