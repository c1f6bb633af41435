import Foundation
import GRDB
import OCRChatAnswers

/// A conversation about one job: the messages of one thread of questions.
struct ConversationRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "conversation"

    var id: String
    var jobUUID: String
    var accountID: String?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case jobUUID = "job_uuid"
        case accountID = "account_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// One message of a conversation: the user's question or the assistant's answer with its citations.
struct MessageRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "message"

    var id: Int64?
    var conversationID: String
    var jobUUID: String
    var role: String
    var content: String
    /// The citations as JSON (`[{"page": 1, "snippet": "…"}]`), empty for a question.
    var citations: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, role, content, citations
        case conversationID = "conversation_id"
        case jobUUID = "job_uuid"
        case createdAt = "created_at"
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The citations, decoded.
    var decodedCitations: [Citation] {
        (try? JSONDecoder().decode([Citation].self, from: Data(citations.utf8))) ?? []
    }
}

extension Store {
    /// The conversation `id` if it is about `jobUUID` and `accountID` started it; nil otherwise
    /// (unknown, another job's, or someone else's: a conversation belongs to whoever started it,
    /// whoever owns the job, so that on an anonymous or shared job one account never reads another's).
    func conversation(_ id: String, job jobUUID: String, accountID: String) throws -> ConversationRecord? {
        try database.read { db in
            try ConversationRecord
                .filter(Column("id") == id && Column("job_uuid") == jobUUID && Column("account_id") == accountID)
                .fetchOne(db)
        }
    }

    /// The messages of a conversation, oldest first.
    func messages(ofConversation id: String) throws -> [MessageRecord] {
        try database.read { db in
            try MessageRecord.filter(Column("conversation_id") == id).order(Column("id")).fetchAll(db)
        }
    }

    /// The messages of `accountID`'s own conversations on a job, oldest first (conversations
    /// interleaved as they happened); other accounts' conversations on the same job are not shown.
    func messages(ofJob uuid: String, accountID: String) throws -> [MessageRecord] {
        try database.read { db in
            try MessageRecord.fetchAll(db, sql: """
                SELECT message.* FROM message JOIN conversation ON conversation.id = message.conversation_id
                WHERE message.job_uuid = ? AND conversation.account_id = ? ORDER BY message.id
                """, arguments: [uuid, accountID])
        }
    }

    /// Stores a question and its answer in one transaction, creating the conversation when `conversationID`
    /// is nil; returns the conversation's id.
    func record(question: String, answer: String, citations: [Citation], job: JobRecord, accountID: String?,
                conversationID: String?, now: Date = Date()) throws -> String {
        let citationsJSON = String(decoding: try JSONEncoder().encode(citations), as: UTF8.self)
        return try database.write { db in
            let id: String
            if let conversationID, var conversation = try ConversationRecord.fetchOne(db, key: conversationID) {
                conversation.updatedAt = now
                try conversation.update(db)
                id = conversationID
            } else {
                id = conversationID ?? UUID().uuidString.lowercased()
                try ConversationRecord(id: id, jobUUID: job.uuid, accountID: accountID, createdAt: now, updatedAt: now).insert(db)
            }
            var asked = MessageRecord(id: nil, conversationID: id, jobUUID: job.uuid, role: "user", content: question,
                                      citations: "[]", createdAt: now)
            try asked.insert(db)
            var answered = MessageRecord(id: nil, conversationID: id, jobUUID: job.uuid, role: "assistant", content: answer,
                                         citations: citationsJSON, createdAt: now)
            try answered.insert(db)
            return id
        }
    }
}
