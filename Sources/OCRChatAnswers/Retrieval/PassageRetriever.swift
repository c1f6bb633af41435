import Foundation

/// From a question to the passages that can answer it: BM25 ranking, then a check that each
/// passage's page speaks of what the question asks (most of its meaningful words, weighted by how
/// rare they are), so that a question the document cannot answer gets no passage at all rather
/// than the nearest unrelated one.
public struct PassageRetriever: Sendable {
    /// How many ranked passages are considered.
    public var limit: Int
    /// Share (0…1, idf-weighted) of the question's meaningful terms its page must hold.
    public var minimumCoverage: Double

    /// A retriever keeping the `limit` best passages whose page covers `minimumCoverage` of the question.
    public init(limit: Int = 5, minimumCoverage: Double = 0.6) {
        self.limit = limit
        self.minimumCoverage = minimumCoverage
    }

    /// The passages that support an answer, best first; empty when the document does not speak of
    /// what is asked. `focusPages` (the pages the conversation was just about) rank a little higher.
    public func supportingPassages(for question: Question, in index: PassageIndex,
                                   focusPages: Set<Int> = []) -> [ScoredPassage] {
        let ranked = index.search(question.searchTerms, limit: limit * 3) { passage in
            focusPages.contains(passage.page) ? 1.3 : 1
        }
        let supporting = ranked.filter { scored in
            Self.mentionsRequired(question, in: index.terms(of: scored.passage))
                && coverage(of: question, onPage: scored.passage.page, in: index) >= minimumCoverage
        }.prefix(limit).map { $0 }
        guard question.isFollowUp else { return supporting }
        // A follow-up (`who is it from?`) may be answered next to what the conversation is about:
        // the two passages just before and after each one on its page (layout cuts a letter's heading
        // apart from its `Total:` line), ranked below the passages themselves.
        var seen = Set(supporting.map(\.passage.id))
        var widened = supporting
        for scored in supporting {
            for id in (scored.passage.id - 2)...(scored.passage.id + 2) where id != scored.passage.id && index.passages.indices.contains(id) {
                let neighbour = index.passages[id]
                guard neighbour.page == scored.passage.page, seen.insert(id).inserted else { continue }
                widened.append(ScoredPassage(passage: neighbour, score: scored.score * 0.5, matchedTerms: []))
            }
        }
        return widened
    }

    /// Share of the question's meaningful terms (or a synonym of each) found on `page`, each term
    /// weighted by its idf; a term the document never uses weighs the most.
    public func coverage(of question: Question, onPage page: Int, in index: PassageIndex) -> Double {
        guard !question.requiredTerms.isEmpty else { return 1 }
        let pageTerms = index.terms(ofPage: page)
        var total = 0.0, found = 0.0
        for required in question.requiredTerms {
            let known = required.alternatives.filter(index.contains)
            // A CJK bigram the document lacks is mostly a seam between two words of the question
            // (`额是` in `金额是多少`), not a thing asked about: it does not count either way.
            if known.isEmpty, required.term.unicodeScalars.first.map({ Tokenizer.isCJK(Character($0)) }) == true { continue }
            let weight = known.isEmpty ? index.absentTermIDF : known.map(index.idf).max() ?? 0
            total += weight
            if required.alternatives.contains(where: pageTerms.contains) { found += weight }
        }
        return total > 0 ? found / total : 0
    }

    /// Whether `terms` hold at least one of the question's meaningful terms (any, when it has none).
    static func mentionsRequired(_ question: Question, in terms: Set<String>) -> Bool {
        question.requiredTerms.isEmpty || question.requiredTerms.contains { $0.alternatives.contains(where: terms.contains) }
    }
}
