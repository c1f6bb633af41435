/// The translated reading of a document, for exporters: the same pages and blocks, with each
/// translated block's text in place of the original.
extension Document {
    /// The document as its translation reads: every block that has a translation holds it as its
    /// lines (one line per line of the translation, placed in the block's box, words spread over
    /// the line's width by length). Untranslated documents come back unchanged.
    public func presentingTranslation() -> Document {
        guard translatedTo != nil else { return self }
        var result = self
        for pageIndex in result.pages.indices {
            result.pages[pageIndex].blocks = result.pages[pageIndex].blocks.map { $0.presentingTranslation() }
        }
        return result
    }
}

extension Block {
    /// This block with its translation as its lines, or itself when it has none.
    func presentingTranslation() -> Block {
        guard let translation, !translation.isEmpty else { return self }
        let texts = translation.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }.filter { !$0.isEmpty }
        guard !texts.isEmpty else { return self }
        let height = max(1, (bbox.y1 - bbox.y0) / texts.count)
        let lines = texts.enumerated().map { number, words -> Line in
            let y0 = bbox.y0 + number * height
            let y1 = number == texts.count - 1 ? bbox.y1 : y0 + height
            let total = max(1, words.reduce(0) { $0 + $1.count + 1 })
            var x = bbox.x0
            let width = bbox.x1 - bbox.x0
            let placed = words.map { word -> Word in
                let share = width * (word.count + 1) / total
                defer { x += share }
                return Word(text: word, bbox: BoundingBox(x0: x, y0: y0, x1: min(bbox.x1, x + max(1, share)), y1: y1),
                            confidence: confidence)
            }
            return Line(bbox: BoundingBox(x0: bbox.x0, y0: y0, x1: bbox.x1, y1: y1), confidence: confidence, words: placed)
        }
        var block = Block(bbox: bbox, confidence: confidence, lines: lines)
        block.translation = translation
        return block
    }
}
