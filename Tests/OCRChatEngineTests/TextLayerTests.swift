import Testing
@testable import OCRChatEngine

@Suite("Judging a PDF text layer")
struct TextLayerTests {
    private func words(_ text: String) -> [TextLayerWord] {
        text.split(separator: " ").enumerated().map { index, word in
            TextLayerWord(text: String(word), x0: Double(index * 40), y0: 10, x1: Double(index * 40 + 35), y1: 22,
                          spaceAfter: true)
        }
    }

    @Test("real text in English, French and German is usable")
    func acceptsRealText() {
        #expect(TextLayer.rejection(of: words("The quarterly report shows steady growth in all regions")) == nil)
        #expect(TextLayer.rejection(of: words("Les élèves étudient la géographie à l'école près de la forêt")) == nil)
        #expect(TextLayer.rejection(of: words("Die Größe der Straße überrascht während des Frühlings")) == nil)
    }

    @Test("a table of contents' dot leaders do not make it look like symbols")
    func acceptsDotLeaders() {
        // The contents page of TeX Live's l2kurz.pdf, as Poppler splits it: each leader dot is a word.
        let leaders = Array(repeating: ".", count: 30).joined(separator: " ")
        let contents = ["1. Allgemeines 5", "1.1. The Name of the Game \(leaders) 5",
                        "1.1.1. TEX \(leaders) 5", "1.2. Grundkonzept \(leaders) 5"].joined(separator: " ")
        #expect(TextLayer.rejection(of: words(contents)) == nil)
        #expect(TextLayer.rejection(of: words("____ ---- . . . . …")) != nil)
    }

    @Test("mojibake, unmapped glyphs and near-empty layers are not")
    func rejectsGarbage() {
        let mojibake = "Привет, это пример текста без карты Юникода".data(using: .windowsCP1251)
            .flatMap { String(data: $0, encoding: .isoLatin1) } ?? ""
        #expect(TextLayer.rejection(of: words(mojibake)) != nil)
        #expect(TextLayer.rejection(of: words("\"7+%-")) != nil)
        #expect(TextLayer.rejection(of: words("\u{E001}\u{E002}\u{E003} \u{E004}\u{E005}\u{E006}\u{E007} abc def ghi jk")) != nil)
        #expect(TextLayer.rejection(of: []) != nil)
    }

    @Test("a diagram drawn with a picture font's glyphs is not text, a word with an unmapped ligature is")
    func dropsDrawingGlyphs() {
        // Page 115 of TeX Live's lshort-fr.pdf: a \\begin{picture} of line segments, each a glyph of
        // the line font at codes 0x01–0x14, beside the code that draws them.
        let code = words("\\setlength{\\unitlength}{5cm} \\begin{picture}(1,1) \\put(0,0){\\line(0,1){1}} Segments")
        let drawing = words("\u{13} \u{05}\u{05} \u{04}\u{04} \u{03}\u{03} \u{02}\u{02} \u{01}\u{01} \u{14}\u{14}")
        #expect(TextLayer.rejection(of: code + drawing) != nil)
        let kept = TextLayer.textWords(code + drawing)
        #expect(kept.map(\.text) == code.map(\.text))
        #expect(TextLayer.rejection(of: kept) == nil)
        // "ﬁnd" with the fi ligature left at its OT1 code: text the layer garbles, still judged.
        let ligature = words("\u{0C}nd the \u{0C}rst \u{0C}le")
        #expect(TextLayer.textWords(ligature).count == 4)
    }

    @Test("words become lines and blocks in pixels at the page's resolution")
    func buildsLines() {
        var layer = words("first line here")
        layer += words("second line").map { word in
            var word = word
            word.y0 += 14
            word.y1 += 14
            return word
        }
        let blocks = TextLayer.blocks(from: layer, dpi: 144, pageWidth: 1224, pageHeight: 1584)
        #expect(blocks.count == 1)
        #expect(blocks.first?.lines.map(\.text) == ["first line here", "second line"])
        #expect(blocks.first?.lines.first?.words.first?.bbox.y0 == 20)  // 10 pt at 2× scale
    }
}
