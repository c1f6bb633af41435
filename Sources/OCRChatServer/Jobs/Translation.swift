import Foundation
import OCRChatAnswers
import OCRChatTranslate

extension ChatConfiguration {
    /// Translation replies are longer than chat answers: a page of text.
    static let translationMaxTokens = 4_096
    /// A page's translation takes a local model longer than an answer does.
    static let translationTimeoutFactor = 5.0

    /// Apertium, and for the pairs it lacks the chat's local model when one is configured
    /// (`--llm-url`, `--llm-model`); the server and `convert` translate with it.
    public var translator: DocumentTranslator {
        guard let url = llmURL.flatMap(URL.init(string:)) else { return DocumentTranslator() }
        let client = ChatModelClient(configuration: LocalModelConfiguration(
            baseURL: url, model: llmModel ?? "default", timeoutSeconds: llmTimeoutSeconds * Self.translationTimeoutFactor,
            maxTokens: Self.translationMaxTokens))
        let model = ModelTranslator(name: "\(client.configuration.model) at \(client.configuration.completionsURL.absoluteString)") { system, user in
            try await client.complete([ChatModelMessage(role: "system", content: system), ChatModelMessage(role: "user", content: user)])
        }
        return DocumentTranslator(model: model)
    }
}
