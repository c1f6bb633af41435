import OCRChatModel

/// A document made to trip exporters up: commas, quotes, `<tags>`, `&`, a control character XML
/// forbids, a tab, accents, Cyrillic, Chinese, an Arabic block laid out right to left, an empty page
/// between two full ones, and confidences that need rounding.
enum TrickyDocument {
    /// A character XML 1.0 forbids (BEL); the XML formats drop it, CSV keeps it.
    static let forbiddenInXML = "\u{07}"

    /// `text` as the XML formats must carry it.
    static func xmlText(_ text: String) -> String {
        text.replacingOccurrences(of: forbiddenInXML, with: "")
    }

    /// The document: three pages, the middle one empty.
    static func make() -> Document {
        let first = Page(index: 0, width: 1000, height: 1400, dpi: 300, rotation: 0, source: .ocr, language: "eng", blocks: [
            block(confidence: 0.98765, [
                line(y: 100, ["Invoice,", "\"final\"", "<b>draft</b>"]),
                line(y: 140, ["Tom", "&", "Jerry;", "5", ">", "3"]),
            ]),
            block(confidence: 0.9, [line(y: 300, ["café", "é", "Привет", "中文"])]),
            block(confidence: 0.87, [
                line(y: 400, ["مرحبا", "بالعالم"], rightToLeft: true),
                line(y: 440, ["السعر", "25", "دولار"], rightToLeft: true),
            ]),
            block(confidence: 0.5, [line(y: 600, ["bell\(forbiddenInXML)ring", "tab\there", "a,b", "'single'"])]),
        ])
        let empty = Page(index: 1, width: 1000, height: 1400, dpi: 300, rotation: 0, source: .ocr, language: "eng", blocks: [])
        let last = Page(index: 2, width: 800, height: 600, dpi: 200, rotation: 90, source: .textLayer, language: "", blocks: [
            block(confidence: 1, [line(y: 50, ["Last", "page"], confidences: [0.123456, 0.995])]),
        ])
        return Document(pages: [first, empty, last], requestedLanguage: "auto", tier: "cpu",
                        engine: "cpu: tesseract-lstm", sourceFormat: "pdf")
    }

    /// A document with no pages at all.
    static let noPages = Document(pages: [], requestedLanguage: "auto", tier: "cpu", engine: "cpu: tesseract-lstm",
                                  sourceFormat: "png")

    /// A block around its lines.
    private static func block(confidence: Double, _ lines: [Line]) -> Block {
        let box = BoundingBox.union(lines.map(\.bbox)) ?? BoundingBox(x0: 0, y0: 0, x1: 0, y1: 0)
        return Block(bbox: box, confidence: confidence, lines: lines)
    }

    /// A line of words 12 px a character and 10 px apart, laid from the left margin, or from the
    /// right one for a right-to-left line (so its first word in reading order is the rightmost).
    private static func line(y: Int, _ texts: [String], rightToLeft: Bool = false, confidences: [Double]? = nil) -> Line {
        var words: [Word] = []
        var edge = rightToLeft ? 900 : 100
        for (position, text) in texts.enumerated() {
            let width = 12 * text.count
            let x0 = rightToLeft ? edge - width : edge
            words.append(Word(text: text, bbox: BoundingBox(x0: x0, y0: y, x1: x0 + width, y1: y + 30),
                              confidence: confidences?[position] ?? 0.9))
            edge = rightToLeft ? x0 - 10 : x0 + width + 10
        }
        let box = BoundingBox.union(words.map(\.bbox)) ?? BoundingBox(x0: 0, y0: 0, x1: 0, y1: 0)
        return Line(bbox: box, confidence: 0.9, words: words)
    }
}
