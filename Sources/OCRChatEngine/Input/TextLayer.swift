import Foundation
import OCRChatModel

/// Turns a PDF text layer into the page model, and judges whether it can be trusted.
enum TextLayer {
    /// The words of a text layer that are text: a word made only of control characters is a
    /// drawing set in a font (TeX's picture fonts place their line and circle pieces as glyphs
    /// 0x01–0x1F, which have no Unicode mapping), not a word anyone wrote. Judged with them, the
    /// page of a manual with a diagram looks unmapped and is OCRed; read with them, the diagram
    /// would fill the text with control codes. A word with letters and a control code (a ligature
    /// a font left unmapped) stays, and counts against the layer.
    static func textWords(_ words: [TextLayerWord]) -> [TextLayerWord] {
        words.filter { word in !word.text.unicodeScalars.allSatisfy { $0.value < 0x20 || $0.properties.isWhitespace } }
    }

    /// Why a text layer was not used; nil means it is usable.
    static func rejection(of words: [TextLayerWord]) -> String? {
        var letters = 0, digits = 0, latinSupplementLetters = 0, suspicious = 0, visible = 0
        // Dot leaders and rules (a table of contents' ". . . . 5") are drawn with characters, not
        // words: they say nothing about the encoding and would make a good page look like symbols.
        for scalar in words.lazy.filter({ !isLeader($0.text) }).flatMap(\.text.unicodeScalars) {
            if scalar.properties.isWhitespace { continue }
            visible += 1
            let value = scalar.value
            if value == 0xFFFD || value < 0x20 || (0x7F...0x9F).contains(value) || (0xE000...0xF8FF).contains(value) {
                suspicious += 1
            } else if scalar.properties.isAlphabetic {
                letters += 1
                if (0xC0...0xFF).contains(value), value != 0xD7, value != 0xF7 { latinSupplementLetters += 1 }
            } else if scalar.properties.numericType != nil {
                digits += 1
            }
        }
        if letters + digits < 10 { return "the text layer is empty or nearly so" }
        if Double(suspicious) / Double(visible) > 0.05 {
            return "the text layer has unmapped glyphs (replacement or private-use characters)"
        }
        if Double(letters + digits) / Double(visible) < 0.5 {
            return "the text layer is mostly symbols, not words"
        }
        // Real French or German text has a few accented letters; text in another script decoded as
        // Latin-1 (cp1251 Russian, say) is almost all of them.
        if Double(latinSupplementLetters) / Double(max(letters, 1)) > 0.25 {
            return "the text layer is mojibake (text in another encoding read as Latin-1)"
        }
        return nil
    }

    /// Leader and rule characters that fill a line between words.
    private static let leaderCharacters: Set<Unicode.Scalar> = [".", "·", "…", "_", "-", "‒", "–", "—", "―", "⋯"]

    /// A word made only of leader characters: `.`, `......`, `____`, `---`.
    private static func isLeader(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { leaderCharacters.contains($0) || $0.properties.isWhitespace }
    }

    /// Builds blocks → lines → words from Poppler's words, boxes scaled from points to pixels at `dpi`.
    static func blocks(from words: [TextLayerWord], dpi: Double, pageWidth: Int, pageHeight: Int) -> [Block] {
        let scale = dpi / 72
        func box(_ word: TextLayerWord) -> BoundingBox {
            BoundingBox(x0: clamp(Int((word.x0 * scale).rounded(.down)), pageWidth),
                        y0: clamp(Int((word.y0 * scale).rounded(.down)), pageHeight),
                        x1: clamp(Int((word.x1 * scale).rounded(.up)), pageWidth),
                        y1: clamp(Int((word.y1 * scale).rounded(.up)), pageHeight))
        }
        var lines: [[Word]] = []
        var previous: TextLayerWord?
        for word in words {
            let text = word.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { continue }
            let modelWord = Word(text: text, bbox: box(word), confidence: 1)
            if let previous, continuesLine(previous, with: word), !lines.isEmpty {
                lines[lines.count - 1].append(modelWord)
            } else {
                lines.append([modelWord])
            }
            previous = word
        }
        var blocks: [[Line]] = []
        var lastLine: Line?
        for words in lines {
            guard let bbox = BoundingBox.union(words.map(\.bbox)) else { continue }
            let line = Line(bbox: bbox, confidence: 1, words: words)
            if let lastLine, !startsNewBlock(after: lastLine, next: line), !blocks.isEmpty {
                blocks[blocks.count - 1].append(line)
            } else {
                blocks.append([line])
            }
            lastLine = line
        }
        return blocks.compactMap { lines in
            BoundingBox.union(lines.map(\.bbox)).map { Block(bbox: $0, confidence: 1, lines: lines) }
        }
    }

    /// The next word is on the same line when it overlaps vertically and does not jump back left.
    private static func continuesLine(_ previous: TextLayerWord, with word: TextLayerWord) -> Bool {
        let overlap = min(previous.y1, word.y1) - max(previous.y0, word.y0)
        let height = max(min(previous.y1 - previous.y0, word.y1 - word.y0), 0.1)
        return overlap > 0.5 * height && word.x0 >= previous.x1 - 0.5 * height
    }

    /// A new block starts after a vertical gap wider than a line, or when the order jumps upwards
    /// (a new column) or sideways.
    private static func startsNewBlock(after line: Line, next: Line) -> Bool {
        let height = max(line.bbox.height, 1)
        let gap = next.bbox.y0 - line.bbox.y1
        if gap > height { return true }
        if next.bbox.y1 <= line.bbox.y0 { return true }
        let horizontalOverlap = min(line.bbox.x1, next.bbox.x1) - max(line.bbox.x0, next.bbox.x0)
        return horizontalOverlap <= 0
    }

    private static func clamp(_ value: Int, _ limit: Int) -> Int { min(max(value, 0), limit) }
}
