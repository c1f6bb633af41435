import Foundation
import Logging
import OCRChatAnswers
import OCRChatLocalModel

/// Answers questions about finished jobs: the job's document indexed once (and cached), the
/// conversation so far from the store, the answer by the local model or from the text.
struct ChatService: Sendable {
    let chat: DocumentChat
    let indexes: IndexCache
    let logger: Logger

    init(configuration: ChatConfiguration, logger: Logger) {
        var model: ModelAnswerer?
        if let url = configuration.llmURL.flatMap(URL.init(string:)) {
            let client = ChatModelClient(configuration: LocalModelConfiguration(
                baseURL: url, model: configuration.llmModel ?? "default", timeoutSeconds: configuration.llmTimeoutSeconds))
            model = ModelAnswerer(client: client)
            logger.info("chat answers by the local model \(configuration.llmModel ?? "default") at \(client.completionsURL)")
        }
        chat = DocumentChat(model: model)
        indexes = IndexCache(capacity: configuration.indexCacheSize)
        self.logger = logger
    }

    /// The answer to `question` about the job's document, after the conversation's earlier messages.
    func answer(_ question: String, job: JobRecord, earlier: [MessageRecord],
                document: () throws -> PassageIndex) async throws -> Answer {
        let index = try indexes.index(for: job.uuid, make: document)
        var history: [ConversationTurn] = []
        for message in earlier {
            if message.role == "user" {
                history.append(ConversationTurn(question: message.content, citedPages: []))
            } else if message.role == "assistant", !history.isEmpty {
                history[history.count - 1].citedPages = message.decodedCitations.map(\.page)
            }
        }
        let answer = await chat.answer(question, in: index, after: history)
        if let failure = answer.modelFailure {
            logger.warning("chat on job \(job.uuid): the local model failed, answered from the text instead: \(failure)")
        }
        return answer
    }
}
