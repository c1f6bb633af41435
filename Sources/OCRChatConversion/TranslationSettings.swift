import Foundation
import OCRChatLocalModel
import OCRChatTranslate

/// Which translator a conversion translates with, as a value that crosses into a worker process:
/// Apertium, and for the pairs it lacks the operator's local chat model when one is named
/// (`--llm-url`, `--llm-model`, `--llm-timeout`: the seconds a chat answer may take, nil for the
/// local model's default). `convert`, `batch` and the server translate with it.
public struct TranslationSettings: Codable, Sendable, Equatable {
    public var llmURL: String?
    public var model: String?
    public var answerTimeoutSeconds: Double?

    public init(llmURL: String? = nil, model: String? = nil, answerTimeoutSeconds: Double? = nil) {
        self.llmURL = llmURL
        self.model = model
        self.answerTimeoutSeconds = answerTimeoutSeconds
    }

    /// Translation replies are longer than chat answers: a page of text.
    static let translationMaxTokens = 4_096
    /// A page's translation takes a local model longer than an answer does.
    static let translationTimeoutFactor = 5.0

    /// The translator these settings describe.
    public var translator: DocumentTranslator {
        guard let url = llmURL.flatMap(URL.init(string:)) else { return DocumentTranslator() }
        var configuration = LocalModelConfiguration(baseURL: url, model: model ?? "default", maxTokens: Self.translationMaxTokens)
        configuration.timeoutSeconds = (answerTimeoutSeconds ?? configuration.timeoutSeconds) * Self.translationTimeoutFactor
        let client = ChatModelClient(configuration: configuration)
        let name = "\(configuration.model) at \(configuration.completionsURL.absoluteString)"
        return DocumentTranslator(model: ModelTranslator(name: name) { system, user in
            try await client.complete([ChatModelMessage(role: "system", content: system),
                                       ChatModelMessage(role: "user", content: user)])
        })
    }
}
