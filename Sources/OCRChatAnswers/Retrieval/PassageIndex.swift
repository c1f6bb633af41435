import Foundation
import OCRChatModel

/// A search term of a query and how much it counts (1 for the question's own words, less for a
/// synonym or a word carried over from the previous question).
public struct QueryTerm: Sendable, Equatable, Hashable {
    /// The folded, stemmed term, as `Tokenizer.terms` gives it.
    public var term: String
    /// Its weight in the ranking.
    public var weight: Double

    /// A term with a weight.
    public init(_ term: String, weight: Double = 1) {
        self.term = term
        self.weight = weight
    }
}

/// A passage and how well it matches a query.
public struct ScoredPassage: Sendable, Equatable {
    /// The passage.
    public var passage: Passage
    /// Its BM25 score (0 when no term matched).
    public var score: Double
    /// The query terms found in it.
    public var matchedTerms: Set<String>
}

/// A BM25 index over a document's passages, built once per document and kept while the document
/// is being asked about. Search is a walk of the query terms' posting lists: on a 100-page document
/// (a few thousand passages) it takes well under a millisecond.
public struct PassageIndex: Sendable {
    /// The passages, by id.
    public let passages: [Passage]
    /// Every line of each page (1-based page → lines), to find a value printed on the same row as a
    /// label in another block (forms and invoices often put them in separate columns).
    let linesByPage: [Int: [PassageLine]]
    private let postings: [String: [(passage: Int, frequency: Int)]]
    /// Every term of each page (1-based), to tell whether a page speaks of all a question asks.
    private let pageTerms: [Int: Set<String>]
    private let termsOfPassage: [Set<String>]
    private let lengths: [Int]
    private let averageLength: Double
    private let tokenizer: Tokenizer

    /// BM25's term-frequency saturation and length normalisation, the usual values.
    static let k1 = 1.2
    static let b = 0.75

    /// Indexes `document`, cut into passages of at most `maxLines` lines.
    public init(document: Document, maxLines: Int = 6, tokenizer: Tokenizer = Tokenizer()) {
        self.init(passages: document.passages(maxLines: maxLines), tokenizer: tokenizer)
    }

    /// Indexes the given passages.
    public init(passages: [Passage], tokenizer: Tokenizer = Tokenizer()) {
        self.passages = passages
        self.tokenizer = tokenizer
        var postings: [String: [(passage: Int, frequency: Int)]] = [:]
        var lengths: [Int] = []
        var termsOfPassage: [Set<String>] = []
        var linesByPage: [Int: [PassageLine]] = [:]
        for (position, passage) in passages.enumerated() {
            let terms = tokenizer.terms(passage.text)
            lengths.append(terms.count)
            var counts: [String: Int] = [:]
            for term in terms { counts[term, default: 0] += 1 }
            for (term, count) in counts { postings[term, default: []].append((position, count)) }
            termsOfPassage.append(Set(counts.keys))
            linesByPage[passage.page, default: []].append(contentsOf: passage.lines)
        }
        self.postings = postings
        self.lengths = lengths
        self.termsOfPassage = termsOfPassage
        self.linesByPage = linesByPage
        var pageTerms: [Int: Set<String>] = [:]
        for (position, passage) in passages.enumerated() { pageTerms[passage.page, default: []].formUnion(termsOfPassage[position]) }
        self.pageTerms = pageTerms
        averageLength = lengths.isEmpty ? 1 : max(1, Double(lengths.reduce(0, +)) / Double(lengths.count))
    }

    /// The number of pages that have text.
    public var pageCount: Int { linesByPage.count }

    /// How rare a term is in this document (BM25's idf, never negative); 0 for an unknown term.
    public func idf(_ term: String) -> Double {
        guard let list = postings[term] else { return 0 }
        let total = Double(passages.count), having = Double(list.count)
        return log(1 + (total - having + 0.5) / (having + 0.5))
    }

    /// The idf a term absent from the document would have: the highest there is, so that a question
    /// about something the document never mentions is not answered from its other words.
    public var absentTermIDF: Double { log(1 + (Double(passages.count) + 0.5) / 0.5) }

    /// The terms of a page (1-based).
    public func terms(ofPage page: Int) -> Set<String> { pageTerms[page] ?? [] }

    /// Whether the document has `term` anywhere.
    public func contains(_ term: String) -> Bool { postings[term] != nil }

    /// The terms of `passage` (folded and stemmed).
    public func terms(of passage: Passage) -> Set<String> { termsOfPassage[passage.id] }

    /// The `limit` best passages for `query`, best first; passages that match nothing are left out.
    /// `boost` multiplies the score of chosen passages (e.g. the pages the conversation was about).
    public func search(_ query: [QueryTerm], limit: Int, boost: (Passage) -> Double = { _ in 1 }) -> [ScoredPassage] {
        var scores: [Int: Double] = [:]
        var matched: [Int: Set<String>] = [:]
        for queryTerm in Dictionary(query.map { ($0.term, $0.weight) }, uniquingKeysWith: max) {
            guard let list = postings[queryTerm.key] else { continue }
            let idf = idf(queryTerm.key)
            for (passage, frequency) in list {
                let tf = Double(frequency)
                let norm = Self.k1 * (1 - Self.b + Self.b * Double(lengths[passage]) / averageLength)
                scores[passage, default: 0] += queryTerm.value * idf * tf * (Self.k1 + 1) / (tf + norm)
                matched[passage, default: []].insert(queryTerm.key)
            }
        }
        return scores.map { ScoredPassage(passage: passages[$0.key], score: $0.value * boost(passages[$0.key]),
                                          matchedTerms: matched[$0.key] ?? []) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.passage.id < $1.passage.id }
            .prefix(limit).map { $0 }
    }

    /// Lines of the same page whose vertical middle lies within `line`'s height, left to right:
    /// the rest of a form row whose label and value the layout analysis put in different blocks.
    func rowMates(of line: PassageLine, page: Int) -> [PassageLine] {
        let middle = (line.bbox.y0 + line.bbox.y1) / 2
        return (linesByPage[page] ?? []).filter { other in
            other != line && other.bbox.x0 >= line.bbox.x1 - 2
                && (other.bbox.y0...max(other.bbox.y0, other.bbox.y1)).contains(middle)
        }.sorted { $0.bbox.x0 < $1.bbox.x0 }
    }
}
