import OCRChatModel

/// Turns a recognised page (words with boxes, grouped as the recogniser saw them) into the structure a
/// reader sees: blocks in reading order (columns one after another, running headers and footers
/// apart, right-to-left pages right to left), each with its kind (heading, paragraph, list item,
/// key-value line, caption, table with cells).
///
/// Only the order and grouping of the words change: every word of the page is in the result once,
/// with its text, box and confidence as recognised.
public struct PageLayout: Sendable {
    /// How hard to look for tables.
    public struct Options: Sendable, Equatable {
        /// Fewest rows (with words in two columns or more) a borderless table needs.
        public var minimumTableRows: Int
        /// Most words a cell of a borderless table holds on average (running text has more).
        public var maximumWordsPerCell: Double

        public init(minimumTableRows: Int = 3, maximumWordsPerCell: Double = 3.5) {
            self.minimumTableRows = minimumTableRows
            self.maximumWordsPerCell = maximumWordsPerCell
        }

        /// The everyday setting: a table must be clearly one.
        public static let standard = Options()
        /// For table-heavy documents (`extract-tables`): smaller and wordier tables count too.
        public static let tablesFirst = Options(minimumTableRows: 2, maximumWordsPerCell: 6)
    }

    public var options: Options

    public init(options: Options = .standard) {
        self.options = options
    }

    /// The page with its blocks in reading order and classified; the page as it was when it holds
    /// no words.
    public func analyse(_ page: Page) -> Page {
        guard !page.words.isEmpty else { return page }
        // A crooked page is laid out level, then its words are given back their boxes.
        guard let levelling = Levelling(page: page) else { return analyseLevel(page) }
        var result = page
        result.blocks = levelling.restoring(analyseLevel(levelling.levelled(page)).blocks, original: page)
        return result
    }

    /// The layout of a page whose lines run straight across.
    func analyseLevel(_ page: Page) -> Page {
        let words = page.words
        let metrics = Metrics(page: page, words: words)
        var analysis = Analysis(page: page, metrics: metrics, options: options)
        // Ruled tables first: their words are taken out of the page and the table stands as one unit.
        let grids = RuledTables.grids(in: page.rulings ?? [], metrics: metrics)
        var units: [Unit] = []
        var claimed = Array(repeating: false, count: words.count)
        for grid in grids {
            let inside = words.indices.filter { !claimed[$0] && grid.bbox.contains(center: words[$0].bbox) }
            // Most cells of a table hold something; a frame around a page of text holds it all in one.
            let filled = Set(inside.compactMap { grid.cell(containing: words[$0].bbox) }.map { grid.origin(ofRow: $0.0, column: $0.1).row * 10_000 + grid.origin(ofRow: $0.0, column: $0.1).column })
            guard !inside.isEmpty, Double(filled.count) >= 0.4 * Double(grid.cells.count) else { continue }
            inside.forEach { claimed[$0] = true }
            analysis.ruledTables.append((grid, inside))
            units.append(Unit(bbox: grid.bbox, content: .ruledTable(analysis.ruledTables.count - 1)))
        }
        // The recogniser's blocks are the units of the reading order: its segmentation into paragraphs and
        // lines is sound, its order of them across columns and tables is what is put right here.
        var next = 0
        for block in page.blocks {
            var lines: [[Int]] = []
            for line in block.lines {
                let indices = Array(next..<(next + line.words.count)).filter { !claimed[$0] }
                next += line.words.count
                if !indices.isEmpty { lines.append(indices) }
            }
            for part in analysis.splitAtGutter(lines) {
                guard let box = BoundingBox.union(part.joined().map { words[$0].bbox }) else { continue }
                units.append(Unit(bbox: box, content: .block(part)))
            }
        }
        // The XY-cut finds the regions (and the tables among them); their order is the page's evidence,
        // the recogniser's order where it has none (ReadingOrder.swift).
        let regions = analysis.readingOrder(analysis.cut(units))
        var blocks = regions.flatMap { analysis.blocks(for: $0) }
        blocks = Self.settingMargins(blocks, page: page, metrics: metrics)
        var result = page
        result.blocks = blocks
        return result
    }

    /// Marks running headers (top margin of the page) and footers (bottom margin), set apart from the
    /// body, and puts them first and last. A running head is never a heading, even in bold or
    /// slightly larger type ("382 Journal of …", a report's name at the foot); only a title in large
    /// type (a heading of level 1) at the top of a page stays a heading.
    static func settingMargins(_ blocks: [Block], page: Page, metrics: Metrics) -> [Block] {
        guard blocks.count >= 3 else { return blocks }
        let zone = Double(page.height) * 0.08
        var marked = blocks
        for position in marked.indices where marked[position].kind != .table && marked[position].lines.count <= 2 {
            let box = marked[position].bbox
            guard Double(box.y1) <= zone || Double(box.y0) >= Double(page.height) - zone,
                  metrics.size(of: marked[position].lines) < metrics.bodySize * 1.7 else { continue }
            let others = marked.indices.lazy.filter { $0 != position }.map { marked[$0].bbox }
            // Other pieces of the same margin (a date at the left, a name at the right) do not count.
            if Double(box.y1) <= zone,
               others.allSatisfy({ Double($0.y0 - box.y1) >= metrics.lineHeight * 0.5 || $0.y1 <= box.y1 || Double($0.y1) <= zone }),
               others.contains(where: { $0.y0 > box.y1 }) {
                marked[position].kind = .header
                marked[position].level = nil
            } else if Double(box.y0) >= Double(page.height) - zone,
                      others.allSatisfy({ Double(box.y0 - $0.y1) >= metrics.lineHeight * 0.5 || $0.y0 >= box.y0
                          || Double($0.y0) >= Double(page.height) - zone }),
                      others.contains(where: { $0.y1 < box.y0 }) {
                marked[position].kind = .footer
                marked[position].level = nil
            }
        }
        let headers = marked.filter { $0.kind == .header }
        let footers = marked.filter { $0.kind == .footer }
        return headers + marked.filter { $0.kind != .header && $0.kind != .footer } + footers
    }
}

/// Sizes measured on the page that every threshold is relative to.
struct Metrics {
    /// Median height of a text line (from the recogniser's lines).
    var lineHeight: Double
    /// Whether most of the page's letters belong to right-to-left scripts.
    var rightToLeft: Bool

    init(page: Page, words: [Word]) {
        let lineHeights = page.blocks.flatMap(\.lines).filter { $0.words.contains { $0.text.contains(where: \.isLetter) } }
            .map { Double($0.bbox.height) }
        let wordHeights = words.map { Double($0.bbox.height) }
        lineHeight = max(median(lineHeights.isEmpty ? wordHeights : lineHeights), 4)
        rightToLeft = TextDirection.isMostlyRightToLeft(words.map(\.text).joined(separator: " "))
        bodySize = 1
        bodySize = max(median(page.blocks.flatMap(\.lines).map { size(of: [$0]) }.filter { $0 > 0 }), 1)
    }

    /// Median type size (em, in pixels) of the page's lines.
    var bodySize: Double

    /// The type size of lines, in pixels: each word's box height over the share of an em its
    /// letters reach (capitals and ascenders ~0.72 above the baseline, x-height ~0.5, descenders
    /// ~0.22 below), so that "Title Case" and "running text, with descenders" compare fairly.
    func size(of lines: [Line]) -> Double {
        let sizes = lines.flatMap(\.words).compactMap { word -> Double? in
            let letters = word.text.filter { $0.isLetter || $0.isNumber }
            guard !letters.isEmpty else { return nil }
            let tall = letters.contains { $0.isUppercase || $0.isNumber || "bdfhklt".contains($0) }
            let deep = letters.contains { "gjpqy".contains($0) }
            return Double(word.bbox.height) / ((tall ? 0.72 : 0.5) + (deep ? 0.22 : 0))
        }
        return median(sizes)
    }
}

/// One thing the reading order places: a word, or a whole ruled table.
struct Unit {
    enum Content {
        /// A block of the recogniser: its lines, as word indices.
        case block([[Int]])
        case ruledTable(Int)
    }

    var bbox: BoundingBox
    var content: Content

    /// The words of a block unit (none for a table).
    var wordIndices: [Int] {
        if case .block(let lines) = content { return Array(lines.joined()) }
        return []
    }

    var isBlock: Bool {
        if case .block = content { return true }
        return false
    }
}

/// A part of the page in reading order.
enum Region {
    var isTable: Bool {
        switch self {
        case .text: return false
        case .borderlessTable, .ruledTable: return true
        }
    }

    /// Running text, lines of word indices top to bottom.
    case text([[Int]])
    /// A borderless table: its rows, each with its cells (word indices), left to right.
    case borderlessTable([[[Int]]])
    /// A ruled table (index into `Analysis.ruledTables`).
    case ruledTable(Int)
}

func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

extension BoundingBox {
    /// Whether the centre of `box` lies inside this box.
    func contains(center box: BoundingBox) -> Bool {
        let x = (box.x0 + box.x1) / 2, y = (box.y0 + box.y1) / 2
        return x >= x0 && x <= x1 && y >= y0 && y <= y1
    }

    var centerY: Double { Double(y0 + y1) / 2 }
}
