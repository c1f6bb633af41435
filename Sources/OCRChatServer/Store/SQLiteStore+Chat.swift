import Foundation
import GRDB
import OCRChatAnswers

extension SQLiteStore {
    /// The conversation `id` if it is about `jobUUID` and `accountID` started it; nil otherwise
    /// (unknown, another job's, or someone else's: a conversation belongs to whoever started it,
    /// whoever owns the job, so that on an anonymous or shared job one account never reads another's).
    func conversation(_ id: String, job jobUUID: String, accountID: String) async throws -> ConversationRecord? {
        try await database.read { db in
            try ConversationRecord
                .filter(Column("id") == id && Column("job_uuid") == jobUUID && Column("account_id") == accountID)
                .fetchOne(db)
        }
    }

    /// The messages of a conversation, oldest first.
    func messages(ofConversation id: String) async throws -> [MessageRecord] {
        try await database.read { db in
            try MessageRecord.filter(Column("conversation_id") == id).order(Column("id")).fetchAll(db)
        }
    }

    /// The messages of `accountID`'s own conversations on a job, oldest first (conversations
    /// interleaved as they happened); other accounts' conversations on the same job are not shown.
    func messages(ofJob uuid: String, accountID: String) async throws -> [MessageRecord] {
        try await database.read { db in
            try MessageRecord.fetchAll(db, sql: """
                SELECT message.* FROM message JOIN conversation ON conversation.id = message.conversation_id
                WHERE message.job_uuid = ? AND conversation.account_id = ? ORDER BY message.id
                """, arguments: [uuid, accountID])
        }
    }

    /// Stores a question and its answer in one transaction, creating the conversation when `conversationID`
    /// is nil; returns the conversation's id.
    func record(question: String, answer: String, citations: [Citation], job: JobRecord, accountID: String?,
                conversationID: String?, now: Date) async throws -> String {
        let citationsJSON = String(decoding: try JSONEncoder().encode(citations), as: UTF8.self)
        return try await database.write { db in
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
