import Foundation
import OCRChatModel

/// The content stream of a page's invisible text layer, drawn the way Tesseract's PDF renderer draws
/// it: text render mode 3 (neither filled nor stroked), the glyphless font /F1 whose codes are UTF-16
/// units, each word stretched (Tz) to its box.
///
/// Each word is placed on its own box: the font size is the box height and the baseline its bottom
/// edge (the font's ascent is one em and its descent nothing), so a text extractor's box for the
/// word is the model's box. Words are written in reading order with a real space between them,
/// so extraction and copy-paste keep word spacing and line order. A right-to-left word's letters
/// are laid out in visual order (its first letter on the right), as a born-digital PDF has them:
/// extractors put them back in logical order. (Tesseract mirrors the text matrix instead, which
/// pdftotext reads in order but then boxes letter by letter.)
enum InvisibleText {
    /// The glyphless font's advance for every glyph, in ems (its /DW is 500).
    static let glyphAdvance = 0.5

    /// The content for `page`, drawn in a `width` × `height` points space that covers the page's
    /// pixels (origin bottom left).
    static func content(for page: Page, width: Double, height: Double, wideCharacters: inout WideCharacterCodes) -> String {
        guard page.width > 0, page.height > 0 else { return "" }
        let scaleX = width / Double(page.width), scaleY = height / Double(page.height)
        var out = ""
        for block in page.blocks {
            let lines = block.lines.filter { !$0.words.isEmpty }
            guard !lines.isEmpty else { continue }
            out += "BT\n3 Tr\n"
            for line in lines {
                let lineIsRightToLeft = TextDirection.isMostlyRightToLeft(line.text)
                let boxes = line.words.map { PointBox($0.bbox, scaleX: scaleX, scaleY: scaleY, pageHeight: height) }
                for (index, word) in line.words.enumerated() {
                    let box = boxes[index]
                    let scalars = TextDirection.isMostlyRightToLeft(word.text) ? Array(word.text.unicodeScalars.reversed())
                                                                 : Array(word.text.unicodeScalars)
                    let codes = scalars.map { wideCharacters.code(for: $0) }
                    guard !codes.isEmpty else { continue }
                    let size = max(box.height, 1)
                    out += show(codes, from: box.x0, baseline: box.y0, width: box.width, size: size)
                    if index + 1 < line.words.count {
                        // The space fills the gap to the next word, so that it is a space and not a
                        // glyph overlapping a neighbour.
                        let next = boxes[index + 1]
                        let (start, end) = lineIsRightToLeft ? (next.x1, box.x0) : (box.x1, next.x0)
                        out += show([0x20], from: min(start, end), baseline: box.y0, width: max(end - start, size * 0.05),
                                    size: size)
                    }
                    out += "\n"
                }
            }
            out += "ET\n"
        }
        return out
    }

    /// One text showing: the codes from (x, baseline), stretched to `width`.
    private static func show(_ codes: [UInt16], from x: Double, baseline: Double, width: Double, size: Double) -> String {
        let stretch = 100 * max(width, 0.01) / (Double(codes.count) * glyphAdvance * size)
        let hex = codes.map { String(format: "%04X", $0) }.joined()
        return "1 0 0 1 \(number(x)) \(number(baseline)) Tm /F1 \(number(size)) Tf \(number(stretch)) Tz <\(hex)> Tj "
    }

    /// A number as PDF wants it: plain decimal, three places at most.
    static func number(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.3f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}

/// A box in points, origin bottom left.
struct PointBox {
    var x0: Double, y0: Double, x1: Double, y1: Double
    var width: Double { x1 - x0 }
    var height: Double { y1 - y0 }

    init(_ box: BoundingBox, scaleX: Double, scaleY: Double, pageHeight: Double) {
        x0 = Double(box.x0) * scaleX
        x1 = Double(box.x1) * scaleX
        y0 = pageHeight - Double(box.y1) * scaleY
        y1 = pageHeight - Double(box.y0) * scaleY
    }
}

/// The font's code for each character: its UTF-16 unit inside the BMP; beyond it, one code per
/// character from D800–DFFF (which UTF-16 never uses alone), mapped back in the ToUnicode CMap. A
/// surrogate pair would be two codes, which extractors read as two broken characters.
struct WideCharacterCodes {
    /// The codes handed out, in order, with the characters they stand for.
    private(set) var assigned: [(code: UInt16, scalar: UInt32)] = []
    private var codes: [UInt32: UInt16] = [:]

    /// The code for `scalar` (U+FFFD once the 2048 wide codes are used up).
    mutating func code(for scalar: Unicode.Scalar) -> UInt16 {
        if scalar.value < 0x10000 { return UInt16(scalar.value) }
        if let code = codes[scalar.value] { return code }
        guard assigned.count < 2048 else { return 0xFFFD }
        let code = UInt16(0xD800 + assigned.count)
        codes[scalar.value] = code
        assigned.append((code, scalar.value))
        return code
    }
}
