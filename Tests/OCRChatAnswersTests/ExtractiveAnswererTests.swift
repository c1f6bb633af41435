import Foundation
import OCRChatModel
import Testing
@testable import OCRChatAnswers

@Suite("Answers quoted from the text")
struct ExtractiveAnswererTests {
    let answerer = ExtractiveAnswerer()

    @Test("a key: value line gives the value up front, with the line quoted and its page cited")
    func labelValue() {
        let index = PassageIndex(document: document([
            ["Quarterly notes", "Nothing to report this week."],
            ["Invoice 77 from Acme Corp", "Subtotal: $1,100.00", "Total: $1,234.56", "Payment within 30 days."],
        ]))
        let answer = answerer.answer(Question("What is the total?"), in: index)
        #expect(answer.found)
        #expect(answer.value == "$1,234.56")
        #expect(answer.text.hasPrefix("$1,234.56 (p. 2)"))
        #expect(answer.citations == [Citation(page: 2, snippet: "Total: $1,234.56")])
    }

    @Test("a value printed in another column of the same row is found from its label")
    func formColumns() {
        let page = Page(index: 0, width: 1700, height: 1400, dpi: 200, rotation: 0, source: .ocr, language: "eng", blocks: [
            block(["Invoice date:", "Due date:", "Total"], x: 100, y: 100, width: 300),
            block(["14 March 2026", "13 April 2026", "$463.02"], x: 1100, y: 100, width: 300),
        ])
        let index = PassageIndex(document: Document(pages: [page], requestedLanguage: "eng", tier: "cpu", engine: "t", sourceFormat: "png"))
        #expect(answerer.answer(Question("What is the due date?"), in: index).value == "13 April 2026")
        #expect(answerer.answer(Question("What is the invoice date?"), in: index).value == "14 March 2026")
        #expect(answerer.answer(Question("What is the total?"), in: index).value == "$463.02")
    }

    @Test("what the document does not say is declined plainly, with no citation")
    func declines() {
        let index = PassageIndex(document: document([["Invoice 77 from Acme Corp", "Total: $1,234.56"]]))
        for question in ["What is the capital of France?", "Who won the World Cup in 1998?",
                         "What is the tracking number of the shipment?", ""] {
            let answer = answerer.answer(Question(question), in: index)
            #expect(!answer.found, "\(question): \(answer.text)")
            #expect(answer.text == Answer.notFoundText)
            #expect(answer.citations.isEmpty)
        }
        #expect(!answerer.answer(Question("What is the total?"), in: PassageIndex(document: document([]))).found)
    }

    @Test("open questions are answered with the matching sentence of a wrapped paragraph")
    func sentences() {
        let index = PassageIndex(document: document([
            ["Minutes of the meeting held on Monday", "The committee approved the annual budget",
             "and agreed to review the contracts in June.", "The next meeting will be in the library."],
        ]))
        let answer = answerer.answer(Question("Where will the next meeting be?"), in: index)
        #expect(answer.found)
        #expect(answer.citations.first?.snippet == "The next meeting will be in the library.")
        let june = answerer.answer(Question("When will the contracts be reviewed?"), in: index)
        #expect(june.value == "June")
        #expect(june.citations.first?.snippet == "The committee approved the annual budget and agreed to review the contracts in June.")
    }

    @Test("counts come before what they count; names are not the question's own words")
    func countsAndNames() {
        let index = PassageIndex(document: document([
            ["Invoice 2041 from Northwind Traders", "Total amount due: 1,250.00 EUR"],
            ["Forty chairs, twelve tables and six lamps", "were counted by the caretaker this morning."],
        ]))
        #expect(answerer.answer(Question("How many tables were counted?"), in: index).value == "twelve")
        #expect(answerer.answer(Question("Who is the invoice from?"), in: index).value == "Northwind Traders")
        #expect(answerer.answer(Question("What is the invoice number?"), in: index).value == "2041")
    }

    @Test("a follow-up question is answered about what the previous one asked")
    func followUp() async {
        let index = PassageIndex(document: document([
            ["Service agreement between Fabrikam and Tailspin."],
            ["The monthly fee is EUR 4,800.00.", "It is invoiced on 1 March 2026."],
            ["The agreement ends on 31 January 2028."],
        ]))
        let chat = DocumentChat()
        let first = await chat.answer("What is the monthly fee?", in: index)
        #expect(first.value == "EUR 4,800.00")
        let next = await chat.answer("When is it invoiced?", in: index,
                                     after: [ConversationTurn(question: "What is the monthly fee?", citedPages: first.citedPages)])
        #expect(next.value == "1 March 2026")
        #expect(next.citedPages == [2])
    }

    @Test("Russian, German, Arabic and Chinese text: the value up front, or the sentence quoted")
    func otherLanguages() {
        let russian = PassageIndex(document: document([["Счёт № 118 от 5 марта 2026 г.", "Поставщик: ООО «Ромашка»"],
                                                       ["Итого к оплате: 12 500,00 руб.", "Оплатить до 20 марта 2026 г."]]))
        #expect(answerer.answer(Question("Какая сумма к оплате?"), in: russian).text.hasPrefix("12 500,00 руб. (p. 2)"))
        #expect(answerer.answer(Question("Кто поставщик?"), in: russian).value == "ООО «Ромашка»")
        let german = PassageIndex(document: document([["Rechnung Nr. 5512", "Rechnungsdatum: 3. März 2026"],
                                                      ["Gesamtbetrag: 1.234,56 €", "Zahlbar innerhalb von 14 Tagen."]]))
        #expect(answerer.answer(Question("Wie hoch ist der Gesamtbetrag?"), in: german).value == "1.234,56 €")
        #expect(answerer.answer(Question("Wann ist das Rechnungsdatum?"), in: german).value == "3. März 2026")
        let arabic = PassageIndex(document: document([["فاتورة رقم 7781", "المبلغ الإجمالي: 3,450.00 ريال"]]))
        #expect(answerer.answer(Question("ما هو المبلغ الإجمالي؟"), in: arabic).value == "3,450.00")
        let chinese = PassageIndex(document: document([["服务合同", "本合同自2026年1月1日起生效。"],
                                                       ["合同总金额为人民币50,000.00元。", "付款期限为三十天。"]]))
        let total = answerer.answer(Question("合同总金额是多少？"), in: chinese)
        #expect(total.citations == [Citation(page: 2, snippet: "合同总金额为人民币50,000.00元。")])
        #expect(!answerer.answer(Question("法国的首都是什么？"), in: chinese).found)
    }

    // MARK: yes/no questions, and table rules

    @Test("a yes/no question: yes when the sentence says it, no when it says the opposite, no verdict when it speaks of only part")
    func verdicts() {
        let index = PassageIndex(document: document([
            ["Site report", "The Fosterville Mine is located in Victoria, Australia.", "Night shifts are not permitted on site."],
            ["Terms", "Late payment of invoices incurs a fee of two percent.", "Deliveries are made on weekdays."],
        ]))
        let yes = answerer.answer(Question("Is the Fosterville Mine in Australia?"), in: index)
        #expect(yes.value == "Yes" && yes.text.hasPrefix("Yes (p. 1). The document says:"), "\(yes.text)")
        #expect(answerer.answer(Question("Are night shifts permitted?"), in: index).value == "No")
        #expect(Question("Aren't night shifts permitted?").kind == .yesNo)
        #expect(answerer.answer(Question("Aren't night shifts permitted?"), in: index).value == "Yes",
                "a negated question that the sentence negates too")
        #expect(answerer.answer(Question("Does late payment incur a fee?"), in: index).value == "Yes")
        // Deliveries are spoken of, Saturdays are not: the quote stands, without a verdict.
        let partial = answerer.answer(Question("Are deliveries made on Saturdays?"), in: index)
        #expect(partial.value == nil)
        #expect(!answerer.answer(Question("Is the mine in Canada?"), in: index).text.hasPrefix("Yes"))
    }

    @Test("a table's rules read as | around a label and its value are not part of the answer")
    func strayRules() {
        let index = PassageIndex(document: document([
            ["| Employee: Bo Hamilton |", "| Start date: 12 May 2019 |", "| Total: $23.90 |"],
        ]))
        #expect(answerer.answer(Question("Who is the employee?"), in: index).value == "Bo Hamilton")
        #expect(answerer.answer(Question("What is the total?"), in: index).value == "$23.90")
        #expect(ValueFinder.labelled("| Start date: 12 May 2019 |")?.value == "12 May 2019")
        #expect(ValueFinder.labelled("Name: | Anna Becker")?.valueStart == 8)
    }
}
