import Foundation
import OCRChatAnswers
import OCRChatTranslate

extension DocumentTranslator {
    /// Translation replies are longer than chat answers: a page of text.
    static let translationMaxTokens = 4_096
    /// A page's translation takes a local model longer than an answer does.
    static let translationTimeoutFactor = 5.0

    /// Apertium, and for the pairs it lacks the operator's local chat model at `llmURL` when one is
    /// named (`--llm-url`, `--llm-model`, `--llm-timeout`: the seconds a chat answer may take,
    /// nil for the local model's default). `convert`, `batch` and the server translate with it.
    public static func standard(llmURL: String?, model: String?, answerTimeoutSeconds: Double?) -> DocumentTranslator {
        guard let url = llmURL.flatMap(URL.init(string:)) else { return DocumentTranslator() }
        var configuration = LocalModelConfiguration(baseURL: url, model: model ?? "default", maxTokens: translationMaxTokens)
        configuration.timeoutSeconds = (answerTimeoutSeconds ?? configuration.timeoutSeconds) * translationTimeoutFactor
        let client = ChatModelClient(configuration: configuration)
        let name = "\(configuration.model) at \(configuration.completionsURL.absoluteString)"
        return DocumentTranslator(model: ModelTranslator(name: name) { system, user in
            try await client.complete([ChatModelMessage(role: "system", content: system),
                                       ChatModelMessage(role: "user", content: user)])
        })
    }
}
