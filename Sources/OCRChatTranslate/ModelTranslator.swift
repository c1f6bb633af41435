import Foundation

/// Translation by the operator's local language model (the endpoint chat uses, `--llm-url`), for
/// the pairs Apertium does not have. The model is reached through `complete` (the caller's client
/// of an OpenAI-compatible chat endpoint), so this module stays free of HTTP.
///
/// A page is one request: its blocks as numbered paragraphs, each after a marker line `[[n]]`,
/// and the reply is split back at the same markers. A reply that does not split into as many
/// paragraphs is retried paragraph by paragraph.
public struct ModelTranslator: Sendable {
    /// The model's reply to a system prompt and a user message.
    public typealias Complete = @Sendable (_ system: String, _ user: String) async throws -> String

    /// Names the model in messages and logs (`qwen2.5 at http://127.0.0.1:8081/v1/chat/completions`).
    public var name: String
    private let complete: Complete

    public init(name: String, complete: @escaping Complete) {
        self.name = name
        self.complete = complete
    }

    /// `paragraphs` in `target`, one result per paragraph (empty ones stay empty).
    public func translateParagraphs(_ paragraphs: [String], from source: String, to target: String) async throws -> [String] {
        let system = Self.instructions(from: source, to: target)
        let numbered = paragraphs.enumerated().filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
        guard !numbered.isEmpty else { return paragraphs }
        let message = numbered.map { "[[\($0.offset + 1)]]\n\($0.element)" }.joined(separator: "\n\n")
        let reply = try await ask(system, message)
        var results = paragraphs
        let pieces = Self.split(reply)
        if numbered.allSatisfy({ pieces[$0.offset + 1] != nil }) {
            for (offset, _) in numbered { results[offset] = pieces[offset + 1] ?? "" }
            return results
        }
        for (offset, paragraph) in numbered {
            let single = try await ask(system, "[[1]]\n\(paragraph)")
            results[offset] = Self.split(single)[1] ?? single.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return results
    }

    private func ask(_ system: String, _ user: String) async throws -> String {
        do {
            return try await complete(system, user)
        } catch {
            throw TranslationError.modelFailed(model: name, reason: "\(error)")
        }
    }

    /// What the model is told: the two languages by name, the marker format, and to leave numbers,
    /// names and amounts as they are.
    static func instructions(from source: String, to target: String) -> String {
        """
        You translate documents from \(languageName(source)) into \(languageName(target)). The user sends \
        numbered paragraphs, each after a marker line such as [[1]]. Answer with the translation of every \
        paragraph after the same marker line, in the same order, and nothing else. Keep numbers, amounts, \
        dates, names and codes exactly as they are.
        """
    }

    /// The reply's paragraphs by number: the text after each `[[n]]` line up to the next marker.
    static func split(_ reply: String) -> [Int: String] {
        var pieces: [Int: String] = [:]
        var current: Int?
        var lines: [Substring] = []
        func flush() {
            if let current { pieces[current] = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines) }
            lines = []
        }
        for line in reply.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[["), trimmed.hasSuffix("]]"), let number = Int(trimmed.dropFirst(2).dropLast(2)) {
                flush()
                current = number
            } else {
                lines.append(line)
            }
        }
        flush()
        return pieces
    }

    /// The language's English name (`spa` → Spanish), or the code when it has none.
    static func languageName(_ code: String) -> String {
        let forms = TranslationLanguages.forms(of: code) ?? [code]
        let english = Locale(identifier: "en")
        for form in forms {
            if let name = english.localizedString(forLanguageCode: form), name.lowercased() != form { return name }
        }
        return code
    }
}
