import Foundation
import OCRChatModel

/// A crooked page made level for the layout: the words' boxes (and the rulings) turned about the
/// page's centre by the page's skew, so that a line of text runs straight across and the gutter
/// between two columns runs straight down. Fed crooked into a scanner, a page's boxes slant: a
/// column's lines climb into the band of the column beside it, the gutter between them is no
/// vertical stripe any more, and two blocks side by side look like the rows of one table.
///
/// The recogniser's boxes stay as they were in the result: the layout works on the levelled copy
/// and the words it places are then given back their own boxes.
struct Levelling {
    /// The page's skew in radians: positive when lines run down to the right (y grows with x).
    let angle: Double
    let centerX: Double
    let centerY: Double

    /// Smallest skew worth levelling, in degrees: under it, a line drifts less than a few pixels
    /// across a column.
    static let minimumDegrees = 0.25
    /// Largest skew believed, in degrees: beyond it the recogniser's lines are not lines of the page.
    static let maximumDegrees = 8.0

    /// The skew of the page measured on its recognised lines, or nil when it is level (or there is too
    /// little text to tell): the median slope of the word centres along each long line.
    init?(page: Page) {
        var slopes: [Double] = []
        for line in page.blocks.flatMap(\.lines) {
            let words = line.words.filter { $0.text.contains { $0.isLetter || $0.isNumber } }
            guard words.count >= 3 else { continue }
            let xs = words.map { Double($0.bbox.x0 + $0.bbox.x1) / 2 }
            let ys = words.map { Double($0.bbox.y0 + $0.bbox.y1) / 2 }
            let height = median(words.map { Double($0.bbox.height) })
            guard let first = xs.min(), let last = xs.max(), last - first >= 4 * height else { continue }
            let meanX = xs.reduce(0, +) / Double(xs.count), meanY = ys.reduce(0, +) / Double(ys.count)
            let spread = xs.map { ($0 - meanX) * ($0 - meanX) }.reduce(0, +)
            let covariance = zip(xs, ys).map { ($0 - meanX) * ($1 - meanY) }.reduce(0, +)
            slopes.append(covariance / spread)
        }
        guard slopes.count >= 3 else { return nil }
        let angle = atan(median(slopes))
        let degrees = abs(angle) * 180 / .pi
        guard degrees >= Self.minimumDegrees, degrees <= Self.maximumDegrees else { return nil }
        self.angle = angle
        centerX = Double(page.width) / 2
        centerY = Double(page.height) / 2
    }

    /// A point of the page turned level (or back, with `inverse`).
    func turned(x: Double, y: Double, inverse: Bool = false) -> (x: Double, y: Double) {
        BoundingBox.turning(x: x, y: y, by: inverse ? angle : -angle, centerX: centerX, centerY: centerY)
    }

    /// A word's box levelled: its centre turned, its height less the rise of its slant over its
    /// width (a long word's box on a crooked line is taller than its letters).
    func levelled(word box: BoundingBox) -> BoundingBox {
        let center = turned(x: Double(box.x0 + box.x1) / 2, y: Double(box.y0 + box.y1) / 2)
        let rise = Double(box.width) * abs(tan(angle))
        let height = max(Double(box.height) - rise, Double(box.height) * 0.6)
        return Self.box(center: center, width: Double(box.width), height: height)
    }

    /// A ruling levelled: the diagonal of its box that it runs along, turned, at its own thickness.
    func levelled(ruling: Ruling) -> Ruling {
        let box = ruling.bbox
        // A line going down to the right runs from the top-left corner to the bottom-right one.
        let descending = angle > 0
        let start: (x: Double, y: Double), end: (x: Double, y: Double)
        let thickness: Double
        switch ruling.orientation {
        case .horizontal:
            start = (Double(box.x0), Double(descending ? box.y0 : box.y1))
            end = (Double(box.x1), Double(descending ? box.y1 : box.y0))
            thickness = max(Double(box.height) - Double(box.width) * abs(tan(angle)), 1)
        case .vertical:
            // Turned the same way, a vertical line leans left going down when lines go down to the right.
            start = (Double(descending ? box.x1 : box.x0), Double(box.y0))
            end = (Double(descending ? box.x0 : box.x1), Double(box.y1))
            thickness = max(Double(box.width) - Double(box.height) * abs(tan(angle)), 1)
        }
        let a = turned(x: start.x, y: start.y), b = turned(x: end.x, y: end.y)
        let center = ((a.x + b.x) / 2, (a.y + b.y) / 2)
        let length = ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
        return ruling.orientation == .horizontal
            ? Ruling(orientation: .horizontal, bbox: Self.box(center: center, width: length, height: thickness))
            : Ruling(orientation: .vertical, bbox: Self.box(center: center, width: thickness, height: length))
    }

    /// A box of the levelled page back on the page: the box around its turned corners.
    func unlevelled(_ box: BoundingBox) -> BoundingBox {
        let corners = [(box.x0, box.y0), (box.x1, box.y0), (box.x0, box.y1), (box.x1, box.y1)]
            .map { turned(x: Double($0.0), y: Double($0.1), inverse: true) }
        return BoundingBox(x0: Int(corners.map(\.x).min()!.rounded()), y0: Int(corners.map(\.y).min()!.rounded()),
                           x1: Int(corners.map(\.x).max()!.rounded()), y1: Int(corners.map(\.y).max()!.rounded()))
    }

    static func box(center: (x: Double, y: Double), width: Double, height: Double) -> BoundingBox {
        BoundingBox(x0: Int((center.x - width / 2).rounded()), y0: Int((center.y - height / 2).rounded()),
                    x1: Int((center.x + width / 2).rounded()), y1: Int((center.y + height / 2).rounded()))
    }

    /// The page with every word, line, block and ruling levelled (lines and blocks boxed anew around
    /// their levelled words).
    func levelled(_ page: Page) -> Page {
        var result = page
        result.blocks = page.blocks.map { block in
            var block = block
            block.lines = block.lines.map { line in
                var line = line
                line.words = line.words.map { Word(text: $0.text, bbox: levelled(word: $0.bbox), confidence: $0.confidence) }
                line.bbox = BoundingBox.union(line.words.map(\.bbox)) ?? line.bbox
                return line
            }
            block.bbox = BoundingBox.union(block.lines.map(\.bbox)) ?? block.bbox
            return block
        }
        result.rulings = page.rulings?.map(levelled(ruling:))
        return result
    }

    /// The blocks laid out on the levelled copy of `original`, with every word back in its own box
    /// and the boxes of lines, blocks and cells taken back onto the page.
    func restoring(_ blocks: [Block], original: Page) -> [Block] {
        // The same word levelled is the same box: each levelled word finds its original by text and box.
        var originals: [String: [Word]] = [:]
        func key(_ text: String, _ box: BoundingBox) -> String { "\(box.x0),\(box.y0),\(box.x1),\(box.y1) \(text)" }
        for word in original.words {
            originals[key(word.text, levelled(word: word.bbox)), default: []].append(word)
        }
        return blocks.map { block in
            var block = block
            block.lines = block.lines.map { line in
                var line = line
                line.words = line.words.map { word in
                    let k = key(word.text, word.bbox)
                    guard var queue = originals[k], !queue.isEmpty else { return word }
                    let found = queue.removeFirst()
                    originals[k] = queue
                    return found
                }
                line.bbox = BoundingBox.union(line.words.map(\.bbox)) ?? unlevelled(line.bbox)
                return line
            }
            if var table = block.table {
                table.cells = table.cells.map { cell in
                    var cell = cell
                    cell.bbox = unlevelled(cell.bbox)
                    return cell
                }
                block.table = table
            }
            block.bbox = BoundingBox.union(block.lines.map(\.bbox) + (block.table?.cells.map(\.bbox) ?? []))
                ?? unlevelled(block.bbox)
            return block
        }
    }
}
