import Foundation
import OCRChatModel

/// Reads a table at the crossing of a row and a column: "What was EBITDA in 12/20E?" is the cell of
/// the row labelled `EBITDA` under the header `12/20E`, "What is the capital of Austria?" the cell of
/// the row `Capital` under `Austria`. Rows and columns come from the page's word boxes, not from the
/// recognised text's order: cells are runs of words apart by more than a word gap, a header is a
/// cell of a line above the row, and the cell read is the row's cell under it.
struct TableCells {
    let tokenizer: Tokenizer

    /// A cell found for a question, with the row it is in (quoted) and its page.
    struct Reading {
        var value: String
        var row: String
        var page: Int
        var score: Double
    }

    /// The most words a row label, a header or a cell has; a longer run is a line of prose.
    static let longestLabel = 6

    /// A run of words close together on one line: one cell of a table row.
    struct Cell {
        var words: [Word]
        var text: String { words.map(\.text).joined(separator: " ") }
        var x0: Int { words.map(\.bbox.x0).min() ?? 0 }
        var x1: Int { words.map(\.bbox.x1).max() ?? 0 }
    }

    /// The best cell whose row label and column header, together, hold every meaningful term of the
    /// question (a header may abbreviate a question's words: `Max`, `Std` for standard deviation).
    func reading(for question: Question, in index: PassageIndex) -> Reading? {
        let required = question.requiredTerms
        guard required.count >= 2, question.kind != .yesNo else { return nil }
        let questionWords = Tokenizer.words(question.text).filter { !Stopwords.contains($0) }
        var best: Reading?
        for (page, lines) in index.linesByPage.sorted(by: { $0.key < $1.key }) {
            // The row's label holds one of the question's terms, so its page does.
            let pageTerms = index.terms(ofPage: page)
            guard required.contains(where: { $0.alternatives.contains(where: pageTerms.contains) }) else { continue }
            for line in lines where !line.words.isEmpty {
                let rowWords = (line.words + index.rowMates(of: line, page: page).flatMap(\.words))
                    .sorted { $0.bbox.x0 < $1.bbox.x0 }
                let cells = Self.cells(of: rowWords, height: line.bbox.y1 - line.bbox.y0)
                guard cells.count >= 2 else { continue }
                let label = cells[0]
                // Table cells are short; two columns of prose side by side are not a table.
                guard label.words.count <= Self.longestLabel, cells.allSatisfy({ $0.words.count <= Self.longestLabel })
                else { continue }
                let labelTerms = Set(tokenizer.terms(label.text))
                let rowMatched = required.filter { $0.alternatives.contains(where: labelTerms.contains) }
                guard !rowMatched.isEmpty, rowMatched.count < required.count else { continue }
                let wanted = required.filter { term in !rowMatched.contains(term) }
                guard case let (headerBottom, value)? = column(under: wanted, questionWords: questionWords, above: line,
                                                               label: label, cells: Array(cells.dropFirst()), lines: lines)
                else { continue }
                // A cell of the wrong type is a wrong crossing: a date question is not answered by an amount.
                if question.kind == .date, ValueFinder.dates(in: value.text).isEmpty { continue }
                if [.amount, .count, .number].contains(question.kind), !value.text.contains(where: \.isNumber) { continue }
                // The label that is all question (`Net debt`) beats one that says more (`Net debt/equity
                // (%)`); the nearer header wins a tie: a page may hold several tables with the same headers.
                let asked = Set(required.flatMap(\.alternatives))
                // A unit in parentheses (`EBITDA (US$ m)`) names no other thing.
                let named = Set(tokenizer.terms(label.text.replacingOccurrences(of: #"\([^)]*\)"#, with: " ", options: .regularExpression)))
                let fit = Double(named.filter(asked.contains).count) / Double(max(1, named.count))
                let score = required.map { $0.alternatives.map(index.idf).max() ?? 0 }.reduce(0, +) + fit
                    - Double(line.bbox.y0 - headerBottom) / 10_000
                if best == nil || score > best!.score {
                    best = Reading(value: value.text, row: cells.map(\.text).joined(separator: "  "), page: page, score: score)
                }
            }
        }
        return best
    }

    /// The nearest header cell above `row` that holds every `wanted` term and stands clear of the
    /// row's label, and the row's cell under it: its bottom and the cell.
    private func column(under wanted: [Question.RequiredTerm], questionWords: [String], above row: PassageLine,
                        label: Cell, cells: [Cell], lines: [PassageLine]) -> (Int, Cell)? {
        var found: (Int, Cell)?
        for line in lines where line.bbox.y1 <= (row.bbox.y0 + row.bbox.y1) / 2 && line != row && !line.words.isEmpty {
            if let found, found.0 >= line.bbox.y1 { continue }
            for header in Self.cells(of: line.words, height: line.bbox.y1 - line.bbox.y0)
            where header.words.count <= Self.longestLabel && Self.overlap(header.x0, header.x1, label.x0, label.x1) <= 0 {
                let named = namedWords(header, questionWords: questionWords)
                guard wanted.allSatisfy({ term in holds(header, term) || named.contains(where: term.alternatives.contains) })
                else { continue }
                let under = cells.max { Self.overlap($0.x0, $0.x1, header.x0, header.x1) < Self.overlap($1.x0, $1.x1, header.x0, header.x1) }
                guard let under, Self.overlap(under.x0, under.x1, header.x0, header.x1) > 0 else { continue }
                found = (line.bbox.y1, under)
            }
        }
        return found
    }

    /// Whether a header cell holds a question term itself.
    private func holds(_ header: Cell, _ term: Question.RequiredTerm) -> Bool {
        let terms = Set(tokenizer.terms(header.text))
        return term.alternatives.contains(where: terms.contains)
    }

    /// The question's words (stemmed) that a header cell abbreviates: `Max` → maximum,
    /// `Std` → standard, deviation.
    private func namedWords(_ header: Cell, questionWords: [String]) -> Set<String> {
        var named = Set<String>()
        for short in Tokenizer.words(header.text) {
            for start in questionWords.indices {
                let span = Self.abbreviation(short, of: Array(questionWords[start...]))
                if span > 0 { named.formUnion(questionWords[start..<(start + span)].map(Tokenizer.stem)) }
            }
        }
        return named
    }

    /// How many of `words` `short` abbreviates (0: none): `max` one word of `maximum`, `std` two of
    /// `standard deviation` (a prefix of the first word, then the initials of the next ones).
    static func abbreviation(_ short: String, of words: [String]) -> Int {
        guard short.count >= 2, short.allSatisfy(\.isLetter), let first = words.first, short.count < first.count else { return 0 }
        for cut in 1...short.count {
            let head = short.prefix(cut), tail = Array(short.dropFirst(cut))
            guard first.hasPrefix(head) else { break }
            if tail.isEmpty { return cut >= 3 ? 1 : 0 }
            guard tail.count < words.count else { continue }
            if zip(tail, words.dropFirst()).allSatisfy({ $0 == $1.first }) { return 1 + tail.count }
        }
        return 0
    }

    /// Words of one row, left to right, cut into cells where the gap is wider than most of the
    /// line's height (a word gap is about a third of it).
    static func cells(of words: [Word], height: Int) -> [Cell] {
        var cells: [Cell] = []
        for word in words {
            if let last = cells.last, word.bbox.x0 - last.x1 <= max(8, height * 4 / 5) {
                cells[cells.count - 1].words.append(word)
            } else {
                cells.append(Cell(words: [word]))
            }
        }
        return cells
    }

    private static func overlap(_ a0: Int, _ a1: Int, _ b0: Int, _ b1: Int) -> Int { min(a1, b1) - max(a0, b0) }
}
