@testable import OCRChatEngine
import OCRChatModel
import OCRChatNeural
import Testing

/// The merge of two readings, on its own: words with boxes as the engines give them, and a small
/// word list in place of Tesseract's dictionary (the real engines are in NeuralTierTests).
@Suite("Putting Tesseract's and the neural reading of a line together")
struct ReadingMergerTests {
    static let dictionary: Set<String> = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "house"]
    let merger = ReadingMerger(isDictionaryWord: { Self.dictionary.contains($0.lowercased()) },
                               neuralReads: { $0.isASCII })

    /// Words laid out along one row from x = 0, each `width` pixels wide, 10 apart.
    static func row(_ texts: [String], confidence: Double, width: Int = 50, y: Int = 100, from x0: Int = 0) -> [Word] {
        texts.enumerated().map { i, text in
            Word(text: text, bbox: BoundingBox(x0: x0 + i * (width + 10), y0: y, x1: x0 + i * (width + 10) + width, y1: y + 30),
                 confidence: confidence)
        }
    }

    @Test("each engine's slip is mended by the other's reading of that word, where a whole-line choice keeps one")
    func oneSlipEach() {
        let tesseract = Self.row(["The", "qvick", "brown", "fox"], confidence: 0.7)
        let neural = Self.row(["The", "quick", "brovn", "fox"], confidence: 0.9)
        let combined = merger.combine(tesseract: tesseract, neural: neural)
        #expect(combined.words.map(\.text) == ["The", "quick", "brown", "fox"])
        #expect(combined.neuralStretches == 1)
        // The words taken keep their own engine's box and confidence.
        #expect(combined.words[1].text == neural[1].text && combined.words[1].confidence == neural[1].confidence)
        #expect(combined.words[2] == tesseract[2])
    }

    @Test("a tie keeps Tesseract's words: names and numbers the dictionary cannot judge do not flip")
    func tiesKeepTesseract() {
        let tesseract = Self.row(["Hamilton", "1994"], confidence: 0.6)
        let neural = Self.row(["Hamiltan", "1904"], confidence: 0.99)
        #expect(merger.combine(tesseract: tesseract, neural: neural).words.map(\.text) == ["Hamilton", "1994"])
    }

    @Test("words run together or split apart are one stretch: judged as a whole, never doubled")
    func splitAndJoined() {
        // Tesseract split "house" into "ho use"; the neural model ran "the lazy" together.
        let tesseract = [Word(text: "ho", bbox: BoundingBox(x0: 0, y0: 0, x1: 20, y1: 30), confidence: 0.5),
                         Word(text: "use", bbox: BoundingBox(x0: 24, y0: 0, x1: 50, y1: 30), confidence: 0.5),
                         Word(text: "the", bbox: BoundingBox(x0: 60, y0: 0, x1: 90, y1: 30), confidence: 0.9),
                         Word(text: "lazy", bbox: BoundingBox(x0: 100, y0: 0, x1: 140, y1: 30), confidence: 0.9)]
        let neural = [Word(text: "house", bbox: BoundingBox(x0: 2, y0: 2, x1: 48, y1: 28), confidence: 0.9),
                      Word(text: "thelazy", bbox: BoundingBox(x0: 62, y0: 2, x1: 138, y1: 28), confidence: 0.9)]
        let combined = merger.combine(tesseract: tesseract, neural: neural)
        #expect(combined.words.map(\.text) == ["house", "the", "lazy"])
    }

    @Test("the same short word boxed a little apart by the two engines is read once, not twice")
    func shiftedWord() {
        let tesseract = [Word(text: "à", bbox: BoundingBox(x0: 100, y0: 0, x1: 120, y1: 30), confidence: 0.6),
                         Word(text: "dog", bbox: BoundingBox(x0: 130, y0: 0, x1: 180, y1: 30), confidence: 0.9)]
        let neural = [Word(text: "à", bbox: BoundingBox(x0: 118, y0: 2, x1: 140, y1: 28), confidence: 0.95),
                      Word(text: "dog", bbox: BoundingBox(x0: 142, y0: 2, x1: 182, y1: 28), confidence: 0.95)]
        #expect(merger.combine(tesseract: tesseract, neural: neural).words.map(\.text) == ["à", "dog"])
    }

    @Test("a word only one engine read: the line's reader keeps its own; the other's needs evidence of its own")
    func loneWords() {
        var tesseract = Self.row(["the", "~", "dog"], confidence: 0.9)
        tesseract[1].confidence = 0.3
        // The neural model read "the" and "dog" and, between them, nothing; past "dog" it found
        // "jumps", which Tesseract lost.
        var neural = [tesseract[0], tesseract[2]]
        neural += Self.row(["jumps", "zq"], confidence: 0.5, from: 180)
        // Tesseract also read an unsure word further on.
        tesseract += Self.row(["xv"], confidence: 0.2, from: 400)
        // The neural reading has more dictionary words: it reads the line, its lone "zq" stays,
        // and Tesseract's lone unsure "xv" goes.
        #expect(merger.combine(tesseract: tesseract, neural: neural).words.map(\.text) == ["the", "dog", "jumps", "zq"])
        // Where Tesseract reads the line (more dictionary words of its own), a neural word joins it
        // only on evidence of its own, and Tesseract's stay.
        let more = tesseract + Self.row(["lazy", "fox"], confidence: 0.9, from: 500)
        #expect(merger.combine(tesseract: more, neural: neural).words.map(\.text) == ["the", "~", "dog", "jumps", "xv", "lazy", "fox"])
    }

    @Test("a line the neural model found that Tesseract missed joins the page; a settled line is not touched")
    func wholeLines() {
        let settled = Line(bbox: BoundingBox(x0: 0, y0: 100, x1: 230, y1: 130), confidence: 0.95,
                           words: Self.row(["the", "quick", "brown", "fox"], confidence: 0.95))
        let page = Page(index: 0, width: 1000, height: 1000, dpi: 300, rotation: 0, source: .ocr, language: "eng",
                        blocks: [Block(bbox: settled.bbox, confidence: 0.95, lines: [settled])])
        let rereading = NeuralLine(words: Self.row(["the", "qu1ck", "brown", "fox"], confidence: 0.99),
                                   bbox: settled.bbox, confidence: 0.99)
        let missed = NeuralLine(words: Self.row(["over", "the", "lazy", "dog"], confidence: 0.95, y: 300),
                                bbox: BoundingBox(x0: 0, y0: 300, x1: 230, y1: 330), confidence: 0.95)
        let outcome = merger.merge(page, neural: [rereading, missed])
        #expect(outcome.page.text == "the quick brown fox\n\nover the lazy dog")
        #expect(outcome.neuralLines == 1 && outcome.tesseractLines == 1)
    }

    /// A page of table rows, 40 pixels apart: a label from x = 0 and figures from x = 600.
    static func table(_ rows: [(label: String?, figures: [String])]) -> Page {
        let lines = rows.enumerated().map { i, row in
            let y = 100 + 40 * i
            let figures = Self.row(row.figures, confidence: 0.95, y: y, from: 600)
            let words = (row.label.map { Self.row([$0], confidence: 0.95, width: 200, y: y) } ?? []) + figures
            return Line(bbox: BoundingBox.union(words.map(\.bbox))!, confidence: 0.95, words: words)
        }
        return Page(index: 0, width: 1000, height: 1000, dpi: 300, rotation: 0, source: .ocr, language: "eng",
                    blocks: [Block(bbox: BoundingBox.union(lines.map(\.bbox))!, confidence: 0.95, lines: lines)])
    }

    @Test("a label Tesseract lost joins its table row, across the space the row's other lines bridge")
    func lostRowLabels() {
        let page = Self.table([("house", ["12", "34"]), (nil, ["56", "78"]), (nil, ["90", "11"])])
        // The neural model found the two labels Tesseract lost, boxed taller than the rows (detection
        // grows its boxes around the ink), one under the other: a stack.
        let labels = ["fox", "dog"].enumerated().map { i, text in
            let y = 140 + 40 * i
            return NeuralLine(words: [Word(text: text, bbox: BoundingBox(x0: 0, y0: y - 8, x1: 200, y1: y + 38), confidence: 0.95)],
                              bbox: BoundingBox(x0: 0, y0: y - 8, x1: 200, y1: y + 38), confidence: 0.95)
        }
        let outcome = merger.merge(page, neural: labels)
        #expect(outcome.page.text == "house 12 34\nfox 56 78\ndog 90 11")
        // The joined words take their row's height, so rows stay apart.
        let second = outcome.page.blocks[0].lines[1]
        #expect(second.bbox.y0 == 140 && second.bbox.y1 == 170)
    }

    @Test("a stack of lines beside text, only a little apart (a transcript's line numbers), stays a column of its own")
    func lineNumbersStayApart() {
        let lines = (0..<3).map { i in
            Line(bbox: BoundingBox(x0: 100, y0: 100 + 40 * i, x1: 400, y1: 130 + 40 * i), confidence: 0.95,
                 words: Self.row([["the", "lazy", "dog"][i]], confidence: 0.95, width: 300, y: 100 + 40 * i, from: 100))
        }
        let page = Page(index: 0, width: 1000, height: 1000, dpi: 300, rotation: 0, source: .ocr, language: "eng",
                        blocks: [Block(bbox: BoundingBox(x0: 100, y0: 100, x1: 400, y1: 210), confidence: 0.95, lines: lines)])
        let numbers = (0..<3).map { i in
            let box = BoundingBox(x0: 40, y0: 95 + 40 * i, x1: 70, y1: 135 + 40 * i)
            return NeuralLine(words: [Word(text: "\(i + 1)", bbox: box, confidence: 0.99)], bbox: box, confidence: 0.99)
        }
        let outcome = merger.merge(page, neural: numbers)
        #expect(outcome.page.blocks.count == 2)
        #expect(outcome.page.blocks.contains { $0.lines.map(\.text) == ["1", "2", "3"] })
    }

    @Test("a detection box over stacked table cells, which matches only the middle row, is left out")
    func boxAcrossRows() {
        let page = Self.table([("the", ["12", "34"]), ("fox", ["56", "78"]), ("dog", ["90", "11"])])
        // One box over the column at x = 660…710 of all three rows: its crop reads them as one line.
        let box = BoundingBox(x0: 660, y0: 95, x1: 710, y1: 215)
        let across = NeuralLine(words: [Word(text: "34.7811", bbox: box, confidence: 0.9)], bbox: box, confidence: 0.9)
        let outcome = merger.merge(page, neural: [across])
        #expect(outcome.page.text == "the 12 34\nfox 56 78\ndog 90 11")
    }

    @Test("readings equal but for the kind of quote or dash keep Tesseract's glyphs")
    func typographicQuotes() {
        let tesseract = Self.row(["the", "dog\u{2019}s", "house\u{2014}"], confidence: 0.6)
        let neural = Self.row(["the", "dog's", "house-"], confidence: 0.99)
        #expect(merger.combine(tesseract: tesseract, neural: neural).words.map(\.text) == ["the", "dog\u{2019}s", "house\u{2014}"])
        // A real difference still goes to the dictionary.
        #expect(merger.combine(tesseract: Self.row(["the", "h0use"], confidence: 0.6), neural: Self.row(["the", "house"], confidence: 0.9))
            .words.map(\.text) == ["the", "house"])
    }
}
