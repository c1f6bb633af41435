import Foundation
import Hummingbird
import OCRChatAnswers

/// `/api/v1/chat/`: questions about a finished job, answered from its text with page citations,
/// in conversations kept in the store. 401 without a token, 404 for an unknown or someone else's
/// job (or conversation), 409 before the job is done, 400 for an empty or oversized message.
struct ChatController {
    let dependencies: ServerDependencies

    struct Question: Decodable {
        var message: String
        var conversation: String?
    }

    /// One message as the API shows it.
    struct Message: Codable, Sendable {
        var role: String
        var content: String
        var citations: [Citation]
        /// Extras beyond the public API's fields.
        var conversation: String?
        var createdAt: Date?

        enum CodingKeys: String, CodingKey {
            case role, content, citations, conversation
            case createdAt = "created_at"
        }
    }

    struct Reply: ResponseEncodable {
        var conversation: String
        var message: Message
        /// Whether the document held an answer (false: the message says it could not be found).
        var found: Bool
        /// `extractive` (quoted from the text) or `model` (written by the local model).
        var answeredBy: String

        enum CodingKeys: String, CodingKey {
            case conversation, message, found
            case answeredBy = "answered_by"
        }
    }

    struct History: ResponseEncodable {
        var uuid: String
        /// The conversations held on the job, oldest first.
        var conversations: [String]
        /// Every message, oldest first.
        var messages: [Message]
    }

    func addRoutes(to router: Router<OCRRequestContext>) {
        router.post("/api/v1/chat/:uuid", use: ask)
        router.get("/api/v1/chat/:uuid/history", use: history)
    }

    @Sendable func ask(_ request: Request, context: OCRRequestContext) async throws -> Response {
        let (job, account) = try await finishedJob(context)
        let limit = dependencies.configuration.chat.maxMessageCharacters
        let body: ByteBuffer
        do {
            // A character is at most 4 bytes of UTF-8, and JSON escapes make a little more.
            body = try await request.body.collect(upTo: limit * 6 + 4_096)
        } catch {
            throw APIError(.badRequest, "the message is too long: at most \(limit) characters")
        }
        guard let question = try? JSONDecoder().decode(Question.self, from: body) else {
            throw APIError(.badRequest, "send JSON {\"message\": \"your question\"}")
        }
        let message = question.message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !message.isEmpty else { throw APIError(.badRequest, "the message is empty") }
        guard message.count <= limit else {
            throw APIError(.badRequest, "the message is too long: at most \(limit) characters")
        }
        var earlier: [MessageRecord] = []
        if let conversation = question.conversation {
            guard try await dependencies.store.conversation(conversation, job: job.uuid, accountID: account.id) != nil else {
                throw APIError(.notFound, "conversation not found")
            }
            earlier = try await dependencies.store.messages(ofConversation: conversation)
        }
        let document = try await dependencies.document(of: job)
        let answer = try await dependencies.chat.answer(message, job: job, earlier: earlier) {
            PassageIndex(document: document)
        }
        let conversation = try await dependencies.store.record(
            question: message, answer: answer.text, citations: answer.citations, job: job,
            accountID: account.id, conversationID: question.conversation, now: Date())
        let reply = Reply(conversation: conversation,
                          message: Message(role: "assistant", content: answer.text, citations: answer.citations),
                          found: answer.found, answeredBy: answer.origin.rawValue)
        return try reply.response(from: request, context: context)
    }

    @Sendable func history(_ request: Request, context: OCRRequestContext) async throws -> History {
        let (job, account) = try await finishedJob(context)
        let records = try await dependencies.store.messages(ofJob: job.uuid, accountID: account.id)
        let wanted = request.uri.queryParameters.get("conversation")
        var conversations: [String] = []
        for record in records where !conversations.contains(record.conversationID) { conversations.append(record.conversationID) }
        let messages = records.filter { wanted == nil || $0.conversationID == wanted }.map {
            Message(role: $0.role, content: $0.content, citations: $0.decodedCitations, conversation: $0.conversationID,
                    createdAt: $0.createdAt)
        }
        return History(uuid: job.uuid, conversations: conversations, messages: messages)
    }

    /// A finished job the caller may see, and the caller's account: 401 without a token, 404 for
    /// someone else's job, 409 before done.
    private func finishedJob(_ context: OCRRequestContext) async throws -> (JobRecord, AccountRecord) {
        guard let account = context.account else { throw APIError.tokenRequired }
        let uuid = try context.parameters.require("uuid")
        let job = try await dependencies.ownedJob(uuid, by: account)
        guard job.status == .done else {
            throw APIError(.conflict, "the job is not done yet (status: \(job.status.rawValue))")
        }
        return (job, account)
    }
}

/// `GET /healthz`: for monitoring.
struct HealthController {
    let dependencies: ServerDependencies

    struct Health: ResponseEncodable {
        var status: String
        var pendingJobs: Int
        /// Which server answered (`serve --node`, else the host name): behind one address, which of several.
        var node: String

        enum CodingKeys: String, CodingKey {
            case status, node
            case pendingJobs = "pending_jobs"
        }
    }

    func addRoutes(to router: Router<OCRRequestContext>) {
        router.get("/healthz") { _, _ in
            Health(status: "ok", pendingJobs: try await dependencies.store.pendingCount(),
                   node: dependencies.configuration.nodeName)
        }
    }
}
