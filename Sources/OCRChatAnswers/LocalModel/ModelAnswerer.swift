import Foundation
import OCRChatLocalModel

/// Answers with the local model, from the retrieved passages only: the model sees the numbered
/// passages and the question, nothing else of the document, and the citations are the passages it
/// referred to (all that it was given, when it referred to none).
public struct ModelAnswerer: Sendable {
    /// The model's client.
    public let client: ChatModelClient

    /// An answerer through `client`.
    public init(client: ChatModelClient) {
        self.client = client
    }

    /// What the model is told to do: answer from the passages, value first, cite, or say NOT_FOUND.
    static let instructions = """
        You answer questions about one document. Use only the numbered passages below, never outside \
        knowledge. Put the answer first: for an amount, a date, a name or a number, the value itself as \
        printed. Then cite the passages you used by their numbers in square brackets, like [1]. If the \
        passages do not contain the answer, reply exactly NOT_FOUND.
        """

    /// The messages sent for `question` over `passages`.
    public static func messages(for question: String, passages: [Passage]) -> [ChatModelMessage] {
        let numbered = passages.enumerated().map { number, passage in
            "[\(number + 1)] (page \(passage.page))\n\(passage.text)"
        }.joined(separator: "\n\n")
        return [
            ChatModelMessage(role: "system", content: instructions),
            ChatModelMessage(role: "user", content: "Passages:\n\n\(numbered)\n\nQuestion: \(question)"),
        ]
    }

    /// The model's answer to `question` from `passages`; throws when the model cannot be used.
    public func answer(_ question: String, passages: [Passage]) async throws -> Answer {
        let reply = try await client.complete(Self.messages(for: question, passages: passages))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if reply.isEmpty { throw ChatModelError.badReply("an empty answer") }
        if reply.contains("NOT_FOUND") { return .notFound(origin: .model) }
        let referenced = Self.references(in: reply).filter { (1...passages.count).contains($0) }
        let used = referenced.isEmpty ? passages : referenced.map { passages[$0 - 1] }
        // "[2]" means little to a reader: it becomes the page it stands for.
        var text = reply
        for number in Set(referenced) {
            text = text.replacingOccurrences(of: "[\(number)]", with: "(p. \(passages[number - 1].page))")
        }
        var seen = Set<Int>()
        let citations = used.filter { seen.insert($0.id).inserted }.map { Citation.quoting($0.text, page: $0.page) }
        return Answer(text: text, citations: citations, found: true, value: nil, origin: .model)
    }

    /// Passage numbers cited as `[n]` (also `[1, 3]`), in order of first mention.
    static func references(in reply: String) -> [Int] {
        let pattern = try! NSRegularExpression(pattern: #"\[(\d+(?:\s*,\s*\d+)*)\]"#)
        var numbers: [Int] = []
        for match in pattern.matches(inWhole: reply) {
            for piece in (reply as NSString).substring(with: match.range(at: 1)).split(separator: ",") {
                if let number = Int(piece.trimmingCharacters(in: .whitespaces)), !numbers.contains(number) { numbers.append(number) }
            }
        }
        return numbers
    }
}
