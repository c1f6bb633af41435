import Foundation
import OCRChatAnswers
import OCRChatModel
import Testing

/// A 100-page document of varied prose (about 40 lines a page, like a dense scan), with a few
/// facts on known pages.
func hundredPageDocument() -> Document {
    let subjects = ["The shipment", "The warehouse", "The supplier", "The auditor", "The committee", "The driver",
                    "The contractor", "The tenant", "The clinic", "The library"]
    let verbs = ["inspected", "delivered", "approved", "reviewed", "repaired", "counted", "signed", "recorded"]
    let objects = ["the pallets", "the invoices", "the meters", "the roof", "the archive", "the vehicles",
                   "the contracts", "the stock", "the accounts", "the samples"]
    let places = ["Leeds", "Bristol", "Hamburg", "Lyon", "Porto", "Gdansk", "Turin", "Ghent", "Malmo", "Cork"]
    var pages: [[String]] = []
    for page in 1...100 {
        var lines: [String] = ["Section \(page) of the annual operations report"]
        for line in 1...40 {
            let n = page * 41 + line
            lines.append("\(subjects[n % 10]) \(verbs[n % 8]) \(objects[(n / 3) % 10]) in \(places[(n / 7) % 10]) on day \(n % 28 + 1), batch \(n * 13).")
        }
        switch page {
        case 37: lines.append("The penalty for late delivery is EUR 12,500.00 per week.")
        case 64: lines.append("The lease of the Cork depot expires on 30 September 2029.")
        case 91: lines.append("Inspection certificate number: QX-55821-B")
        default: break
        }
        pages.append(lines)
    }
    return Document(pages: pages.enumerated().map { index, lines in
        // Blocks of eight lines, as the layout analysis cuts paragraphs.
        let blocks = stride(from: 0, to: lines.count, by: 8).map { start in
            block(Array(lines[start..<min(start + 8, lines.count)]), x: 100, y: 100 + start * 40)
        }
        return Page(index: index, width: 2480, height: 3508, dpi: 300, rotation: 0, source: .ocr, language: "eng", blocks: blocks)
    }, requestedLanguage: "eng", tier: "cpu", engine: "test", sourceFormat: "pdf")
}

@Suite("Answering on a 100-page document")
struct LatencyTests {
    @Test("answers are right on a large document; the time is printed (measured, not asserted)")
    func hundredPages() async {
        let document = hundredPageDocument()
        let clock = ContinuousClock()
        var index: PassageIndex?
        let indexing = clock.measure { index = PassageIndex(document: document) }
        guard let index else { return }
        let chat = DocumentChat()
        let questions: [(String, String?, Int?)] = [
            ("What is the penalty for late delivery?", "EUR 12,500.00", 37),
            ("When does the lease of the depot expire?", "30 September 2029", 64),
            ("What is the inspection certificate number?", "QX-55821-B", 91),
            ("What is the capital of France?", nil, nil),
        ]
        var durations: [Duration] = []
        for round in 0..<5 {
            for (question, value, page) in questions {
                let start = clock.now
                let answer = await chat.answer(question, in: index)
                durations.append(clock.now - start)
                if round == 0 {
                    if let value {
                        #expect(answer.text.contains(value), "\(question): \(answer.text)")
                        #expect(answer.citedPages.first == page)
                    } else {
                        #expect(!answer.found, "\(question): \(answer.text)")
                    }
                }
            }
        }
        let sorted = durations.sorted()
        let words = document.pages.reduce(0) { $0 + $1.words.count }
        print("chat latency on 100 pages (\(index.passages.count) passages, \(words) words): index built in \(indexing), "
              + "answer median \(sorted[sorted.count / 2]), max \(sorted.last!) over \(sorted.count) answers")
    }
}
