import Foundation
import OCRChatModel
import Testing
@testable import OCRChatAnswers

@Suite("Tokens, ranking and questions")
struct TokenizerAndIndexTests {
    let tokenizer = Tokenizer()

    @Test("case and accents are folded in Latin, Cyrillic and Arabic; stopwords go")
    func folding() {
        #expect(tokenizer.terms("Café RÉSUMÉ Straße") == tokenizer.terms("cafe resume strasse"))
        #expect(tokenizer.terms("Café RÉSUMÉ Straße").count == 3)
        #expect(tokenizer.terms("ЁЛКА Йогурт") == ["елка", "иогурт"])
        #expect(tokenizer.terms("What is the total?") == ["total"])
        // Hamza forms and the vowel signs fold to the bare letters; ة to ه.
        #expect(tokenizer.terms("أحمد إلى مدرسة") == tokenizer.terms("احمد الى مدرسه"))
        #expect(tokenizer.terms("المَدْرَسَة") == tokenizer.terms("المدرسه"))
    }

    @Test("numbers, amounts and dates stay whole; digits of any script read as ASCII")
    func numbers() {
        #expect(tokenizer.terms("Total: $1,234.56 due 2026-03-31 or 31.12.2026") == ["total", "1,234.56", "due", "2026-03-31", "31.12.2026"])
        #expect(tokenizer.terms("INV-2041") == ["inv", "2041"])
        #expect(tokenizer.terms("١٢٣٤") == ["1234"])
        #expect(tokenizer.terms("１２月") == ["12", "月"])
    }

    @Test("CJK runs become character bigrams; mixed scripts split into words")
    func cjk() {
        #expect(tokenizer.terms("合同金额") == ["合同", "同金", "金额"])
        #expect(tokenizer.terms("Total总计") == ["total", "总计"])
        #expect(tokenizer.terms("請求書") == ["請求", "求書"])
    }

    @Test("light stemming makes plural and verb forms meet")
    func stemming() {
        #expect(tokenizer.terms("ends") == tokenizer.terms("end"))
        #expect(tokenizer.terms("invoices") == tokenizer.terms("invoice"))
        #expect(tokenizer.terms("parties") == tokenizer.terms("party"))
        #expect(tokenizer.terms("counted") == tokenizer.terms("count"))
    }

    @Test("BM25 ranks the passage with the rare term first and leaves out passages that match nothing")
    func ranking() {
        let index = PassageIndex(document: document([
            ["The committee met on Monday.", "The committee approved the budget."],
            ["The budget for the library was approved by the committee."],
            ["Forty chairs were counted in the reading room."],
        ]))
        let hits = index.search(tokenizer.terms("library budget").map { QueryTerm($0) }, limit: 5)
        #expect(hits.first?.passage.page == 2)
        #expect(hits.map(\.passage.page).contains(3) == false)
        #expect(index.search([QueryTerm("nonexistent")], limit: 5).isEmpty)
        #expect(index.idf("library") > index.idf("committee"))
    }

    @Test("passages keep their 1-based page and the box of their lines; long blocks are cut")
    func passages() {
        let long = (1...14).map { "Line number \($0) of a long block." }
        let passages = document([["Short block."], long]).passages(maxLines: 6)
        #expect(passages.map(\.page) == [1, 2, 2, 2])
        #expect(passages[1].lines.count == 6)
        #expect(passages[1].bbox == BoundingBox(x0: 100, y0: 100, x1: 900, y1: 100 + 6 * 40 - 10))
    }

    @Test("question kinds")
    func kinds() {
        #expect(Question("What is the invoice total?").kind == .amount)
        #expect(Question("How much do we owe?").kind == .amount)
        #expect(Question("When does the contract end?").kind == .date)
        #expect(Question("Who signed for the provider?").kind == .name)
        #expect(Question("What is the invoice number?").kind == .number)
        #expect(Question("How many chairs were counted?").kind == .count)
        #expect(Question("Is the provider allowed to subcontract?").kind == .yesNo)
        #expect(Question("Where is the next meeting?").kind == .open)
        #expect(Question("Wann endet der Vertrag?").kind == .date)
        #expect(Question("Какая сумма к оплате?").kind == .amount)
        // Words that only name the kind are not required of an answer.
        #expect(Question("What is the invoice number?").requiredTerms.map(\.term) == Tokenizer().terms("invoice"))
    }

    @Test("a short or anaphoric follow-up borrows the previous question's terms and kind")
    func followUps() {
        let first = Question("Who is the seller?")
        let next = Question("And the buyer?", previous: first)
        #expect(next.isFollowUp)
        #expect(next.kind == .name)
        let due = Question("When is it due?", previous: Question("What is the invoice total?"))
        #expect(due.isFollowUp)
        #expect(due.kind == .date)
        #expect(due.searchTerms.contains { $0.term == Tokenizer.stem("invoice") && $0.weight < 1 })
        let unrelated = Question("Where will the next meeting of the committee be held?", previous: first)
        #expect(!unrelated.isFollowUp)
    }
}

/// A document of text pages: each inner array is one block of lines, one block per page, lines
/// 40 px apart, so boxes are known.
func document(_ pages: [[String]]) -> Document {
    Document(pages: pages.enumerated().map { index, lines in
        Page(index: index, width: 1000, height: 1400, dpi: 300, rotation: 0, source: .textLayer, language: "",
             blocks: [block(lines, x: 100, y: 100)])
    }, requestedLanguage: "eng", tier: "cpu", engine: "test", sourceFormat: "pdf")
}

/// A block of `lines` from (x, y), each line 800 px wide and 30 high, 40 apart.
func block(_ lines: [String], x: Int, y: Int, width: Int = 800) -> Block {
    let built = lines.enumerated().map { number, text in
        let top = y + number * 40
        let words = text.split(separator: " ").enumerated().map { position, word in
            Word(text: String(word), bbox: BoundingBox(x0: x + position * 60, y0: top, x1: x + position * 60 + 50, y1: top + 30), confidence: 1)
        }
        return Line(bbox: BoundingBox(x0: x, y0: top, x1: x + width, y1: top + 30), confidence: 1, words: words)
    }
    return Block(bbox: BoundingBox.union(built.map(\.bbox))!, confidence: 1, lines: built)
}
