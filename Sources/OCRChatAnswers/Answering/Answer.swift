import Foundation

/// Where an answer came from in the document: a page (1-based) and the words quoted from it.
public struct Citation: Sendable, Equatable, Hashable, Codable {
    /// The page, 1-based.
    public var page: Int
    /// The text the answer rests on, as printed (shortened when long).
    public var snippet: String

    /// A citation of `snippet` on `page` (1-based).
    public init(page: Int, snippet: String) {
        self.page = page
        self.snippet = snippet
    }

    /// Longest snippet kept in a citation, in characters.
    public static let maximumSnippetLength = 300

    /// A citation of `text` on `page`, cut to `maximumSnippetLength` with an ellipsis.
    static func quoting(_ text: String, page: Int) -> Citation {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        let snippet = flat.count > maximumSnippetLength ? String(flat.prefix(maximumSnippetLength - 1)) + "…" : flat
        return Citation(page: page, snippet: snippet)
    }
}

/// An answer to a question about a document.
public struct Answer: Sendable, Equatable {
    /// How the answer was made.
    public enum Origin: String, Sendable, Equatable {
        /// Quoted from the document by `ExtractiveAnswerer`.
        case extractive
        /// Written by the local model from the passages it was given.
        case model
    }

    /// What the user reads.
    public var text: String
    /// The pages and quotes it rests on; empty when nothing was found.
    public var citations: [Citation]
    /// Whether the document answered the question (false: the answer says it could not find it).
    public var found: Bool
    /// The value put up front (an amount, a date, a name…), when there was one.
    public var value: String?
    /// How it was made.
    public var origin: Origin
    /// Why the local model was not used, when it was configured but failed; for the log, not the user.
    public var modelFailure: String?

    /// The plain refusal: the document does not say.
    public static let notFoundText = "I could not find this in the document."

    /// An answer that says the document does not hold one.
    public static func notFound(origin: Origin = .extractive) -> Answer {
        Answer(text: notFoundText, citations: [], found: false, value: nil, origin: origin)
    }

    /// The pages cited, in order of first citation.
    public var citedPages: [Int] {
        var seen = Set<Int>()
        return citations.map(\.page).filter { seen.insert($0).inserted }
    }
}
