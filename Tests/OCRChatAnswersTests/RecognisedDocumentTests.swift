import Foundation
import OCRChatAnswers
import OCRChatModel
import Testing

/// A question about a sample with its known answer: a value the answer must contain and the page
/// it must cite; `page == nil` means the document does not say, and the answer must decline.
struct KnownAnswer: CustomTestStringConvertible, Sendable {
    var file: String
    var question: String
    var value: String?
    var page: Int?

    var testDescription: String { "\(file): \(question)" }

    static func answer(_ file: String, _ question: String, _ value: String, page: Int) -> KnownAnswer {
        KnownAnswer(file: file, question: question, value: value, page: page)
    }

    static func declined(_ file: String, _ question: String) -> KnownAnswer {
        KnownAnswer(file: file, question: question, value: nil, page: nil)
    }
}

/// The question set: invoices, a contract and a letter made in Samples/ (make-chat-samples.py,
/// make-samples.py), recognised by the real engine, with facts on known pages.
let questionSet: [KnownAnswer] = [
    .answer("invoice-form.tif", "What is the total?", "$463.02", page: 1),
    .answer("invoice-form.tif", "What is the invoice number?", "INV-2041", page: 1),
    .answer("invoice-form.tif", "When is the invoice due?", "13 April 2026", page: 1),
    .answer("invoice-form.tif", "What is the invoice date?", "14 March 2026", page: 1),
    .answer("invoice-form.tif", "Who is the invoice billed to?", "Contoso Pharmacy", page: 1),
    .answer("invoice-form.tif", "What is the phone number?", "+44 117 496 0321", page: 1),
    .answer("invoice-form.tif", "How much is the VAT?", "$77.17", page: 1),
    .answer("invoice-form.tif", "What is the subtotal?", "$385.85", page: 1),
    .answer("invoice-form.tif", "What is the IBAN?", "GB29 NWBK 6016 1331 9268 19", page: 1),
    .answer("invoice-form.tif", "How much was charged for delivery?", "$35.00", page: 1),
    .answer("invoice-form.tif", "What is the customer ID?", "C-7730", page: 1),
    .answer("contract-4pages.tif", "When was the agreement made?", "2 January 2026", page: 1),
    .answer("contract-4pages.tif", "Who is the provider?", "Tailspin Software Ltd", page: 1),
    .answer("contract-4pages.tif", "Who is the client?", "Fabrikam Logistics GmbH", page: 1),
    .answer("contract-4pages.tif", "How quickly must support requests be answered?", "four business hours", page: 1),
    .answer("contract-4pages.tif", "What is the monthly fee?", "EUR 4,800.00", page: 2),
    .answer("contract-4pages.tif", "What interest do late payments carry?", "1.5 percent", page: 2),
    .answer("contract-4pages.tif", "When does the contract end?", "31 January 2028", page: 3),
    .answer("contract-4pages.tif", "When does the agreement start?", "1 February 2026", page: 3),
    .answer("contract-4pages.tif", "How much notice is needed to terminate it?", "ninety days", page: 3),
    .answer("contract-4pages.tif", "Which law governs the agreement?", "Germany", page: 4),
    .answer("contract-4pages.tif", "Where do disputes go?", "Hamburg", page: 4),
    .answer("contract-4pages.tif", "Who signed for the provider?", "David Okafor", page: 4),
    .answer("contract-4pages.tif", "Who signed for the client?", "Anna Becker", page: 4),
    .answer("letter-3pages.tif", "What is the total amount due?", "1,250.00 EUR", page: 1),
    .answer("letter-3pages.tif", "Who is the invoice from?", "Northwind Traders", page: 1),
    .answer("letter-3pages.tif", "What is the delivery address?", "12 Harbour Road", page: 1),
    .answer("letter-3pages.tif", "Where will the next meeting be?", "library", page: 2),
    .answer("letter-3pages.tif", "When will the contracts be reviewed?", "June", page: 2),
    .answer("letter-3pages.tif", "How many chairs were counted?", "Forty", page: 3),
    .declined("invoice-form.tif", "What is the capital of France?"),
    .declined("invoice-form.tif", "Who is the sales representative?"),
    .declined("invoice-form.tif", "What is the tracking number of the shipment?"),
    .declined("contract-4pages.tif", "What is the warranty period?"),
    .declined("contract-4pages.tif", "How many employees does the provider have?"),
    .declined("contract-4pages.tif", "Who won the World Cup in 1998?"),
    .declined("letter-3pages.tif", "What is the weather forecast for tomorrow?"),
    .declined("letter-3pages.tif", "Who is the mayor of Bristol?"),
]

@Suite("Answers on documents recognised by the real engine", .serialized)
struct RecognisedDocumentTests {
    @Test("every question of the set: the value and the right page, or a plain refusal", arguments: questionSet)
    func knownAnswer(_ known: KnownAnswer) async throws {
        let index = PassageIndex(document: try await RecognisedSamples.shared.document(known.file))
        let answer = ExtractiveAnswerer().answer(Question(known.question), in: index)
        if let value = known.value, let page = known.page {
            #expect(answer.found, "\(answer.text)")
            #expect(answer.text.contains(value), "\(answer.text)")
            #expect(answer.citedPages.first == page, "\(answer.citations)")
            #expect(answer.citations.allSatisfy { !$0.snippet.isEmpty })
        } else {
            #expect(!answer.found, "\(answer.text)")
            #expect(answer.text == Answer.notFoundText)
            #expect(answer.citations.isEmpty)
        }
    }

    @Test("the hit rate over the whole question set")
    func hitRate() async throws {
        var hits = 0, declinedRight = 0, questions = 0, outside = 0
        for known in questionSet {
            let index = PassageIndex(document: try await RecognisedSamples.shared.document(known.file))
            let answer = ExtractiveAnswerer().answer(Question(known.question), in: index)
            if let value = known.value {
                questions += 1
                if answer.found && answer.text.contains(value) && answer.citedPages.first == known.page { hits += 1 }
            } else {
                outside += 1
                if !answer.found { declinedRight += 1 }
            }
        }
        print("chat question set: \(hits)/\(questions) answered with the value and the right page; "
              + "\(declinedRight)/\(outside) questions outside the document declined")
        #expect(hits * 10 >= questions * 9)
        #expect(declinedRight == outside)
    }
}
