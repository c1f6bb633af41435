import ArgumentParser
import Foundation
import OCRChatConversion
import OCRChatEngine
import OCRChatTranslate

/// The operator's local language model (`serve` for chat answers and translation, `convert` for
/// translation): an OpenAI-compatible chat endpoint such as a llama.cpp server or Ollama.
struct LocalModelOptions: ParsableArguments {
    @Option(name: .customLong("llm-url"), help: """
        Base URL of a local OpenAI-compatible chat endpoint (llama.cpp server, Ollama): chat answers, \
        and translation for language pairs Apertium does not have; without it answers are quoted from \
        the text and only Apertium's pairs translate.
        """)
    var llmURL: String?

    @Option(name: .customLong("llm-model"), help: "The model name to ask for at --llm-url.")
    var llmModel: String?

    @Option(name: .customLong("llm-timeout"), help: """
        Seconds to wait for the local model's answer before answering from the text (default 60); \
        a page's translation may take five times as long.
        """)
    var llmTimeout: Double?

    func validate() throws {
        if let llmURL, URL(string: llmURL)?.scheme?.hasPrefix("http") != true {
            throw ValidationError("--llm-url must be an http(s) URL, e.g. http://127.0.0.1:8081")
        }
        if let llmTimeout, llmTimeout <= 0 { throw ValidationError("--llm-timeout must be positive") }
    }

    /// Apertium, and the local model when one is named.
    var translation: TranslationSettings {
        TranslationSettings(llmURL: llmURL, model: llmModel, answerTimeoutSeconds: llmTimeout)
    }

    /// `--tool` and `--translate-to` checked together, as `convert` and `batch` take them, and the
    /// language pair checked against what can translate it.
    func validateTranslation(tool: Tool?, source language: String, target translateTo: String?) throws {
        if tool == .translate && translateTo == nil { throw ValidationError("--tool translate needs --translate-to") }
        guard let translateTo else { return }
        if let tool, tool != .translate { throw ValidationError("--translate-to goes with --tool translate, not \(tool.rawValue)") }
        do {
            try translation.translator.validate(source: language, target: translateTo)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
