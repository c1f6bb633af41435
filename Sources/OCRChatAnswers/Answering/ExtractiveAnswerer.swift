import Foundation

/// Answers from the document's own words, without a model: the value up front for amounts, dates,
/// names, numbers and counts (from `Label: value` lines, or the sentence that holds it), then the
/// quoted sentence(s) it came from and their pages. Anything it says is a quote or a piece of one;
/// when no passage supports an answer it says so.
public struct ExtractiveAnswerer: Sendable {
    /// How passages are found and checked.
    public var retriever: PassageRetriever
    /// The tokenizer the index was built with.
    public var tokenizer: Tokenizer

    /// An answerer over `retriever`'s passages.
    public init(retriever: PassageRetriever = PassageRetriever(), tokenizer: Tokenizer = Tokenizer()) {
        self.retriever = retriever
        self.tokenizer = tokenizer
    }

    /// The answer to `question` from `index`; `focusPages` are the pages the previous answer cited.
    public func answer(_ question: Question, in index: PassageIndex, focusPages: Set<Int> = []) -> Answer {
        let passages = retriever.supportingPassages(for: question, in: index, focusPages: focusPages)
        return answer(question, from: passages, in: index)
    }

    /// The answer to `question` from passages already retrieved (and checked) for it.
    public func answer(_ question: Question, from passages: [ScoredPassage], in index: PassageIndex) -> Answer {
        // A row label and a column header that together name all the question asks are an answer
        // even when no one passage holds both words (a header is often a block of its own).
        if let cell = TableCells(tokenizer: tokenizer).reading(for: question, in: index) {
            return valueAnswer(ValueCandidate(value: cell.value, quote: cell.row, page: cell.page, score: cell.score))
        }
        if passages.isEmpty {
            // "What is the date?": nothing to search for but the kind itself; the document's first
            // full value of that kind is the answer.
            if question.requiredTerms.isEmpty, let first = firstValue(of: question.kind, in: index) {
                return valueAnswer(first)
            }
            return .notFound()
        }
        let statements = scoredStatements(question, passages: passages, index: index)
        guard !statements.isEmpty else { return .notFound() }
        if let candidate = bestValue(question, statements: statements, index: index) {
            return valueAnswer(candidate)
        }
        return quoteAnswer(question, statements: statements)
    }

    // MARK: statements

    struct ScoredStatement {
        var statement: Statement
        var score: Double
        /// The question terms it holds.
        var matched: Set<String>
    }

    /// Every statement of the passages that holds a question term, best first. A statement's score
    /// is the idf-weighted sum of the question terms it holds, with its passage's rank to break ties.
    private func scoredStatements(_ question: Question, passages: [ScoredPassage], index: PassageIndex) -> [ScoredStatement] {
        let weights = Dictionary(question.searchTerms.map { ($0.term, $0.weight) }, uniquingKeysWith: max)
        let top = passages.first?.score ?? 1
        var scored: [ScoredStatement] = []
        for scoredPassage in passages {
            for statement in Statement.statements(of: scoredPassage.passage) {
                let terms = Set(tokenizer.terms(statement.text))
                let matched = terms.filter { weights[$0] != nil }
                // A follow-up (`who is it from?`) may be answered by any sentence of the passages the
                // conversation is about, not only by those that repeat its words.
                guard !matched.isEmpty || question.requiredTerms.isEmpty || question.isFollowUp else { continue }
                let score = matched.reduce(0) { $0 + weights[$1]! * index.idf($1) } + 0.2 * scoredPassage.score / max(top, 1e-9)
                scored.append(ScoredStatement(statement: statement, score: score, matched: matched))
            }
        }
        return scored.sorted { $0.score != $1.score ? $0.score > $1.score : $0.statement.passage.id < $1.statement.passage.id }
    }

    // MARK: values

    struct ValueCandidate {
        var value: String
        var quote: String
        var page: Int
        var score: Double
    }

    /// The best value of the question's kind in the statements (or on the same row of the page, for
    /// a one-line statement that is a label with its value in another column).
    private func bestValue(_ question: Question, statements: [ScoredStatement], index: PassageIndex) -> ValueCandidate? {
        guard [.amount, .date, .name, .number, .count].contains(question.kind) else { return nil }
        let questionWords = Set(Tokenizer.words(question.text).map(Tokenizer.stem))
        var best: ValueCandidate?
        for scored in statements {
            let statement = scored.statement
            var text = statement.text
            if statement.lines.count == 1 {
                let line = statement.passage.lines[statement.lines[0]]
                let mates = index.rowMates(of: line, page: statement.passage.page)
                if !mates.isEmpty { text += "  " + mates.map(\.text).joined(separator: "  ") }
            }
            guard let (value, closeness) = pickValue(question, in: text, matched: scored.matched,
                                                     questionWords: questionWords) else { continue }
            let score = scored.score * closeness
            if best == nil || score > best!.score {
                best = ValueCandidate(value: value, quote: text, page: statement.passage.page, score: score)
            }
        }
        return best
    }

    /// The value of the question's kind in `text` nearest after the question's words (a label comes
    /// before its value; a count comes before what it counts), with how close it is (0…1].
    private func pickValue(_ question: Question, in text: String, matched: Set<String>,
                           questionWords: Set<String>) -> (String, Double)? {
        var values = ValueFinder.values(of: question.kind, in: text)
        // The value sits by the question's own words (`and tables?` → `twelve tables`), not by the
        // words a follow-up carried over from the question before, when both are there.
        let own = Set(question.requiredTerms.flatMap(\.alternatives)).intersection(matched)
        // `Who is it from?`: the word that ties a name to its role in the question anchors it too
        // (`Invoice 2041 from Northwind Traders`), though it is too common to search for.
        let roleWords = question.kind == .name ? questionWords.intersection(Self.roleWords) : []
        let anchors = wordPositions(in: text) { (own.isEmpty ? matched : own).contains($0) || roleWords.contains($0) }
        if question.kind == .name {
            if let labelled = ValueFinder.labelled(text), !anchors.filter({ $0.location < labelled.valueStart }).isEmpty,
               labelled.value.first?.isLetter == true {
                return (labelled.value.split(separator: "  ").first.map(String.init) ?? labelled.value, 1)
            }
            // A name is not the question's own words (`Invoice`, `Total`) nor a sentence's first word alone.
            values = values.filter { value in
                let words = Tokenizer.words(value.text).map(Tokenizer.stem)
                return !words.allSatisfy { questionWords.contains($0) || Stopwords.contains($0) }
                    && !(value.range.location == 0 && value.strength == 1)
                    // Not a code in capitals (`EUR`, `VAT`, `IBAN`).
                    && !(value.strength == 1 && value.text.count <= 4 && value.text == value.text.uppercased())
            }
        }
        guard !values.isEmpty else { return nil }
        if anchors.isEmpty {
            let strongest = values.max { $0.strength < $1.strength }!
            return (strongest.text, 0.5)
        }
        var best: (FoundValue, Double)?
        for value in values {
            let distances = anchors.map { anchor -> Double in
                let valueEnd = value.range.location + value.range.length
                if valueEnd <= anchor.location {
                    // Before the question's word: right for a count (`twelve tables`) and for a name
                    // defined by its role (`Fabrikam GmbH (the Client)`), wrong for a label's value.
                    let gap = Double(anchor.location - valueEnd)
                    return gap * (question.kind == .count ? 1 : question.kind == .name ? 1.2 : 3)
                }
                let gap = Double(max(0, value.range.location - (anchor.location + anchor.length)))
                return gap * (question.kind == .count ? 3 : 1)
            }
            var closeness = (1 / (1 + distances.min()! / 40)) * (1 + 0.1 * Double(value.strength))
            if question.kind == .name, definesRole(value, in: text, anchors: anchors) { closeness *= 2 }
            if best == nil || closeness > best!.1 { best = (value, closeness) }
        }
        return best.map { ($0.0.text, $0.1) }
    }

    /// Whether a name is followed by the role asked about in parentheses or after a comma:
    /// `Tailspin Software Ltd (the Provider)`, `Anna Becker, the Seller`.
    private func definesRole(_ value: FoundValue, in text: String, anchors: [NSRange]) -> Bool {
        let end = value.range.location + value.range.length
        return anchors.contains { anchor in
            guard anchor.location >= end, anchor.location - end <= 10 else { return false }
            let between = (text as NSString).substring(with: NSRange(location: end, length: anchor.location - end))
            return between.contains("(") || between.contains(",")
        }
    }

    /// UTF-16 ranges of the words in `text` whose stemmed, folded form satisfies `isWanted`.
    private func wordPositions(in text: String, where isWanted: (String) -> Bool) -> [NSRange] {
        let string = text as NSString
        return Self.wordPattern.matches(inWhole: text).compactMap { match in
            let word = TextFolding.fold(string.substring(with: match.range))
            return isWanted(Tokenizer.stem(word)) || isWanted(word) ? match.range : nil
        }
    }

    /// Words that tie a name to its role: `from`, `by`, `to` and their kin in a few languages.
    private static let roleWords: Set<String> = ["from", "by", "to", "von", "an", "de", "par", "à", "от", "для"]

    private static let wordPattern = try! NSRegularExpression(pattern: #"[\p{L}\p{M}]+|\d+(?:[.,/:-]\d+)*"#)

    /// The first full value of `kind` in the document, for a question that names nothing else.
    private func firstValue(of kind: QuestionKind, in index: PassageIndex) -> ValueCandidate? {
        guard [.amount, .date, .number].contains(kind) else { return nil }
        for passage in index.passages {
            for statement in Statement.statements(of: passage) {
                let values = ValueFinder.values(of: kind, in: statement.text)
                if let value = values.first(where: { $0.strength >= (kind == .date ? 3 : 2) }) {
                    return ValueCandidate(value: value.text, quote: statement.text, page: passage.page, score: 0)
                }
            }
        }
        return nil
    }

    private func valueAnswer(_ candidate: ValueCandidate) -> Answer {
        let quote = Citation.quoting(candidate.quote, page: candidate.page)
        return Answer(text: "\(candidate.value) (p. \(candidate.page)). The document says: “\(quote.snippet)”",
                      citations: [quote], found: true, value: candidate.value, origin: .extractive)
    }

    // MARK: quotes

    /// The best sentence, a very short one with the sentence after it, and a second sentence from
    /// elsewhere when it matches nearly as well.
    private func quoteAnswer(_ question: Question, statements: [ScoredStatement]) -> Answer {
        var used: [Statement] = []
        for scored in statements.prefix(6) where used.count < 2 {
            guard Self.mentions(question, scored, tokenizer: tokenizer) else { continue }
            if !used.isEmpty, scored.score < 0.7 * statements[0].score { continue }
            var statement = scored.statement
            if statement.text.split(separator: " ").count <= 5, statement.text.count < 20 {
                let all = Statement.statements(of: statement.passage)
                if let position = all.firstIndex(of: statement), position + 1 < all.count {
                    statement.text += " " + all[position + 1].text
                }
            }
            // The same words twice (a heading with its sentence, a sentence in two passages) are quoted once.
            if used.contains(where: { $0.text.contains(statement.text) || statement.text.contains($0.text) }) { continue }
            used.append(statement)
        }
        guard !used.isEmpty else { return .notFound() }
        let citations = used.map { Citation.quoting($0.text, page: $0.passage.page) }
        let quotes = citations.map { "“\($0.snippet)” (p. \($0.page))" }.joined(separator: " … ")
        if question.kind == .yesNo, let verdict = verdict(question, on: used[0]) {
            return Answer(text: "\(verdict) (p. \(citations[0].page)). The document says: \(quotes)", citations: citations,
                          found: true, value: verdict, origin: .extractive)
        }
        return Answer(text: "The document says: \(quotes)", citations: citations, found: true, value: nil, origin: .extractive)
    }

    /// "Yes" or "No" for a yes/no question, when the sentence quoted holds every term the question
    /// is about (so that it speaks of the same thing): "No" when one of the two is negated and the
    /// other is not, else "Yes". A sentence that holds only some of them gets no verdict; the quote
    /// stands alone, and the reader judges.
    func verdict(_ question: Question, on statement: Statement) -> String? {
        let terms = Set(tokenizer.terms(statement.text))
        let about = question.requiredTerms
        guard !about.isEmpty, about.allSatisfy({ $0.alternatives.contains(where: terms.contains) }) else { return nil }
        return Self.isNegated(question.text) == Self.isNegated(statement.text) ? "Yes" : "No"
    }

    /// Whether a sentence says "not": a negating word or an `n't`.
    static func isNegated(_ text: String) -> Bool {
        let lowered = text.lowercased().replacingOccurrences(of: "’", with: "'")
        if lowered.contains("n't ") || lowered.hasSuffix("n't") || lowered.contains("n't?") { return true }
        return Tokenizer.words(lowered).contains(where: negations.contains)
    }

    private static let negations: Set<String> = [
        "not", "no", "never", "neither", "nor", "none", "cannot", "without", "nicht", "kein", "keine", "nie", "ne",
        "pas", "jamais", "nunca", "не", "нет", "ни",
    ]

    private static func mentions(_ question: Question, _ scored: ScoredStatement, tokenizer: Tokenizer) -> Bool {
        PassageRetriever.mentionsRequired(question, in: Set(tokenizer.terms(scored.statement.text)))
    }
}
