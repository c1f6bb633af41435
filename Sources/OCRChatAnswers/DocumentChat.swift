import Foundation

/// An earlier exchange of a conversation, as far as the next question needs it.
public struct ConversationTurn: Sendable, Equatable {
    /// What the user asked.
    public var question: String
    /// The pages the answer cited (1-based).
    public var citedPages: [Int]

    /// A turn: `question` and the pages its answer cited.
    public init(question: String, citedPages: [Int]) {
        self.question = question
        self.citedPages = citedPages
    }
}

/// The whole path of a question: analysis (with the conversation so far) → passages → answer,
/// by the local model when one is configured and reachable, else extracted from the text.
public struct DocumentChat: Sendable {
    /// The answerer without a model; also the fallback.
    public var extractive: ExtractiveAnswerer
    /// The local model, when the operator configured one.
    public var model: ModelAnswerer?
    /// How many passages the model is given.
    public var passagesForModel: Int

    /// A chat that answers extractively, or with `model` when given.
    public init(extractive: ExtractiveAnswerer = ExtractiveAnswerer(), model: ModelAnswerer? = nil, passagesForModel: Int = 4) {
        self.extractive = extractive
        self.model = model
        self.passagesForModel = passagesForModel
    }

    /// The question as understood after `history` (oldest first): a short or anaphoric question
    /// borrows the terms of the one before.
    public func question(_ text: String, after history: [ConversationTurn]) -> Question {
        var previous: Question?
        for turn in history.suffix(5) { previous = Question(turn.question, previous: previous) }
        return Question(text, previous: previous)
    }

    /// The answer to `text` about the indexed document, after `history` (oldest first). Never
    /// throws: a failing model is reported in `Answer.modelFailure` and the extractive answer given.
    public func answer(_ text: String, in index: PassageIndex, after history: [ConversationTurn] = []) async -> Answer {
        let question = question(text, after: history)
        let focus = question.isFollowUp ? Set(history.last?.citedPages ?? []) : []
        let passages = extractive.retriever.supportingPassages(for: question, in: index, focusPages: focus)
        guard let model, !passages.isEmpty else {
            return extractive.answer(question, from: passages, in: index)
        }
        do {
            return try await model.answer(text, passages: passages.prefix(passagesForModel).map(\.passage))
        } catch {
            var fallback = extractive.answer(question, from: passages, in: index)
            fallback.modelFailure = "\(error)"
            return fallback
        }
    }
}
