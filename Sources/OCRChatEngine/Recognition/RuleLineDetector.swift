import CTesseract
import OCRChatModel

/// Finds the straight lines drawn on a page (table borders, rules, form lines) with Leptonica's
/// morphology: on the binarised page, an opening with a long thin structuring element keeps only
/// runs of ink longer than any letter, and each connected piece that is left is one line.
enum RuleLineDetector {
    /// Above this many pixels on a side the search runs at half resolution: a rule one pixel thick at
    /// 300 dpi survives a rank-1 reduction (any ink in a 2×2 cell), and the morphology costs a quarter.
    static let halveAbove = 2_000

    /// The rulings of `image`, whose text lines are about `lineHeight` pixels high.
    static func rulings(in image: PixImage, lineHeight: Double) -> [Ruling] {
        guard let full = pixConvertTo1(image.pix, 160) else { return [] }
        var binary = full
        var scale = 1
        if max(image.width, image.height) > halveAbove, let half = pixReduceRankBinary2(full, 1, nil) {
            destroy(full)
            binary = half
            scale = 2
        }
        defer { destroy(binary) }
        let height = max(lineHeight, 8) / Double(scale)
        // A horizontal rule is longer than any word's ink run; a vertical one taller than any letter.
        let horizontal = lines(in: binary, length: Int(height * 4), vertical: false, thickness: height * 0.5)
        let vertical = lines(in: binary, length: Int(height * 2), vertical: true, thickness: height * 0.5)
        func scaled(_ box: BoundingBox) -> BoundingBox {
            BoundingBox(x0: box.x0 * scale, y0: box.y0 * scale,
                        x1: min(box.x1 * scale, image.width), y1: min(box.y1 * scale, image.height))
        }
        let all = horizontal.map { Ruling(orientation: .horizontal, bbox: scaled($0)) }
            + vertical.map { Ruling(orientation: .vertical, bbox: scaled($0)) }
        // A hatched or noisy page yields thousands of strokes: the longest are the ones a table is drawn with.
        guard all.count > maximumRulings else { return all }
        return Array(all.sorted { max($0.bbox.width, $0.bbox.height) > max($1.bbox.width, $1.bbox.height) }.prefix(maximumRulings))
    }

    /// Most rulings kept for one page (the page's JSON carries them, and the layout looks at each pair).
    static let maximumRulings = 600

    private static func lines(in binary: UnsafeMutablePointer<PIX>, length: Int, vertical: Bool, thickness: Double) -> [BoundingBox] {
        // Open with half the length (a line broken by noise or skew survives in pieces), close the
        // small breaks along the line, then keep the pieces that are long and thin. The composite
        // bricks cost about the square root of a plain brick's length in passes over the page.
        let half = Int32(max(length / 2, 3))
        let bridge = Int32(max(length / 8, 3))
        guard let opened = vertical ? pixOpenCompBrick(nil, binary, 1, half) : pixOpenCompBrick(nil, binary, half, 1) else { return [] }
        defer { destroy(opened) }
        guard let closed = vertical ? pixCloseCompBrick(nil, opened, 1, bridge) : pixCloseCompBrick(nil, opened, bridge, 1) else { return [] }
        defer { destroy(closed) }
        guard let boxes = pixConnCompBB(closed, 8) else { return [] }
        defer {
            var owned: UnsafeMutablePointer<BOXA>? = boxes
            boxaDestroy(&owned)
        }
        var result: [BoundingBox] = []
        for index in 0..<boxaGetCount(boxes) {
            var x: Int32 = 0, y: Int32 = 0, w: Int32 = 0, h: Int32 = 0
            guard boxaGetBoxGeometry(boxes, index, &x, &y, &w, &h) == 0 else { continue }
            let long = Int(vertical ? h : w), thick = Double(vertical ? w : h)
            // A skewed line is a little thicker than it is drawn; a filled area is thick everywhere.
            guard long >= length, thick <= max(thickness, Double(long) * 0.06) else { continue }
            result.append(BoundingBox(x0: Int(x), y0: Int(y), x1: Int(x + w), y1: Int(y + h)))
        }
        return result
    }

    private static func destroy(_ pix: UnsafeMutablePointer<PIX>) {
        var owned: UnsafeMutablePointer<PIX>? = pix
        pixDestroy(&owned)
    }
}
