import Foundation
import OCRChatModel
import OCRChatNeural

/// Puts Tesseract's reading of a page and PP-OCR's together, line by line, keeping the better of
/// each by evidence both readings can be held to:
///
/// 1. **Script.** Where Tesseract read letters the neural model does not have (Cyrillic, Arabic,
///    Devanagari…), its reading stays: the neural model can only have misread them.
/// 2. **Dictionary words.** Lines of the two readings that overlap on the page form a group. Of
///    each line, the engine with more words of three letters or more in the page language's
///    dictionary (Tesseract's own word list, asked of both readings alike) is the reader, Tesseract
///    on equal counts: a change needs evidence (on the JPEG-damaged TeX pages, taking the neural
///    reading on ties read 6.79% against Tesseract's 6.60%). Inside the line, a stretch goes to the
///    other engine where that stretch's own dictionary evidence is stronger (`combine`, in
///    ReadingMerger+Words.swift). Neither engine's confidence decides between two readings: they
///    are not on one scale.
/// 3. **Structure.** Tesseract's blocks and lines are kept; a winning neural reading hands each of
///    its words to the Tesseract line it overlaps most, so paragraphs, columns and the layout step
///    work as they do on the cpu tier. Neural lines Tesseract did not find at all (text it lost in a
///    shadow or in noise) join the block around them, or make blocks of their own.
/// 4. Lines Tesseract is sure of (`isSettled`: every word at confidence 0.90 or more, every long
///    word in the dictionary) stay as they are: two independent signals agree, and the neural
///    model is not asked to read them again.
/// 5. Tesseract lines the neural model found nothing at are kept when they hold a dictionary word
///    or are confident; otherwise they are the noise Tesseract reads into pictures and rulings.
struct ReadingMerger {
    /// Whether a word is in the dictionary of the language the page was read in.
    var isDictionaryWord: (String) -> Bool
    /// Whether the neural model has a character.
    var neuralReads: (Unicode.Scalar) -> Bool

    /// Tesseract's word confidence from which a line whose words are all in the dictionary is
    /// taken as read.
    static let settledWordConfidence = 0.90
    /// A Tesseract line the neural model found nothing at stays with this confidence or more.
    static let confidentUnmatchedLine = 0.80
    /// Two lines are one when they share this share of the narrower one's width (and a row).
    static let overlapShare = 0.5

    /// What the merge did, for the page's engine record.
    struct Outcome {
        var page: Page
        var neuralLines = 0
        var tesseractLines = 0
    }

    func merge(_ page: Page, neural: [NeuralLine]) -> Outcome {
        // Every Tesseract line, by its place.
        var places: [(block: Int, line: Int)] = []
        for (b, block) in page.blocks.enumerated() {
            for l in block.lines.indices { places.append((b, l)) }
        }
        let tLines = places.map { page.blocks[$0.block].lines[$0.line] }
        // Groups of lines that overlap: union-find over Tesseract lines (0..<t) and neural ones (t...).
        let t = tLines.count
        var sets = DisjointSets(count: t + neural.count)
        // A neural box across two of Tesseract's lines that lie one under the other read two rows
        // as one (detection ran tight rows together): Tesseract's lines are the evidence, the box is
        // left out. Across means either both lines match the box, or the box holds both from top to
        // bottom: a box over a column of stacked table cells matches only the middle row, yet its
        // crop reads all of them as one line. (Detection grows a line's box by less than a line's
        // height above and below it: the box of one line does not hold the whole of the next.)
        var acrossRows = Set<Int>()
        for (p, line) in neural.enumerated() {
            let matched = tLines.indices.filter { Self.overlaps(tLines[$0].bbox, line.bbox) }
            let held = tLines.indices.filter { Self.holds(line.bbox, tLines[$0].bbox) }
            let stacked = [matched, held].contains { lines in
                lines.contains { a in lines.contains { b in Self.isUnder(tLines[b].bbox, tLines[a].bbox) } }
            }
            if stacked {
                acrossRows.insert(p)
                continue
            }
            for i in matched { sets.join(i, t + p) }
        }
        var groups: [Int: (tesseract: [Int], neural: [Int])] = [:]
        for i in 0..<t { groups[sets.find(i), default: ([], [])].tesseract.append(i) }
        for p in neural.indices where !acrossRows.contains(p) { groups[sets.find(t + p), default: ([], [])].neural.append(p) }

        var outcome = Outcome(page: page)
        // New words for Tesseract lines (by index) whose group the neural reading won.
        var replaced: [Int: [Word]] = [:]
        var dropped = Set<Int>()
        var orphans: [NeuralLine] = []
        for group in groups.values {
            let tGroup = group.tesseract.map { tLines[$0] }, pGroup = group.neural.map { neural[$0] }
            if pGroup.isEmpty {
                // Only Tesseract saw text here.
                for (index, line) in zip(group.tesseract, tGroup) {
                    if isBacked(line) { outcome.tesseractLines += 1 } else { dropped.insert(index) }
                }
                continue
            }
            if tGroup.isEmpty {
                orphans += pGroup
                outcome.neuralLines += pGroup.count
                continue
            }
            let tWords = tGroup.flatMap(\.words).map(\.text), pWords = pGroup.flatMap(\.words)
            if tGroup.allSatisfy(isSettled) || foreignShare(tWords) > 0.3 {
                outcome.tesseractLines += tGroup.count
                continue
            }
            let neuralGroup = dictionaryWords(pWords.map(\.text)) > dictionaryWords(tWords)
            // Each neural word goes to the Tesseract line of the group it overlaps most; then the
            // two readings of each line are put together stretch by stretch.
            var assigned: [Int: [Word]] = [:]
            for word in pWords {
                let best = group.tesseract.max { a, b in
                    Self.belonging(word.bbox, tLines[a].bbox) < Self.belonging(word.bbox, tLines[b].bbox)
                }!
                assigned[best, default: []].append(word)
            }
            for index in group.tesseract {
                let line = tLines[index]
                guard let words = assigned[index] else {
                    // The neural model read the group without this line: where it read the group
                    // better (more dictionary words), the line is what Tesseract read into the
                    // gaps; else it stays.
                    if neuralGroup { dropped.insert(index) } else { outcome.tesseractLines += 1 }
                    continue
                }
                let combined = combine(tesseract: line.words, neural: words)
                if combined.words.isEmpty {
                    dropped.insert(index)
                } else if combined.neuralStretches > 0 || combined.words.count != line.words.count {
                    replaced[index] = combined.words
                    outcome.neuralLines += 1
                } else {
                    outcome.tesseractLines += 1
                }
            }
        }

        // Rebuild the blocks: replaced lines get the neural words, dropped lines go.
        var blocks = page.blocks
        for (i, place) in places.enumerated().reversed() {
            if dropped.contains(i) {
                blocks[place.block].lines.remove(at: place.line)
            } else if let words = replaced[i] {
                let sorted = words.sorted { $0.bbox.x0 < $1.bbox.x0 }
                blocks[place.block].lines[place.line] = Line(bbox: BoundingBox.union(sorted.map(\.bbox))!,
                                                             confidence: sorted.map(\.confidence).mean, words: sorted)
            }
        }
        blocks = blocks.filter { !$0.lines.isEmpty }
        for stack in Self.stacks(orphans) {
            if stack.count == 1 {
                Self.place(stack[0], in: &blocks)
            } else {
                Self.place(stack: stack, in: &blocks)
            }
        }
        for index in blocks.indices {
            let lines = blocks[index].lines
            blocks[index].bbox = BoundingBox.union(lines.map(\.bbox))!
            blocks[index].confidence = lines.flatMap(\.words).map(\.confidence).mean
        }
        outcome.page.blocks = blocks
        return outcome
    }

    /// Whether a Tesseract line the neural model found nothing at holds text: it is confident, or
    /// holds a dictionary word (else it is what Tesseract reads into pictures and rulings).
    func isBacked(_ line: Line) -> Bool {
        line.confidence >= Self.confidentUnmatchedLine || dictionaryWords(line.words.map(\.text)) > 0
    }

    /// Whether Tesseract's reading of a line is taken as it is: every word confident, every word
    /// of three letters or more in the dictionary.
    func isSettled(_ line: Line) -> Bool {
        !line.words.isEmpty && line.words.allSatisfy { word in
            let bare = Self.bare(word.text)
            return word.confidence >= Self.settledWordConfidence
                && (bare.unicodeScalars.filter(\.properties.isAlphabetic).count < 3 || isDictionaryWord(bare))
        }
    }

    /// Whether two line boxes are the same text line: they share half the narrower one's width and
    /// each one's middle lies within the other's height. Heights alone would not do: a detection
    /// box is grown around its text (a short word's box can be twice as tall as Tesseract's line).
    static func overlaps(_ a: BoundingBox, _ b: BoundingBox) -> Bool {
        let width = min(a.x1, b.x1) - max(a.x0, b.x0)
        guard width > 0, Double(width) >= overlapShare * Double(max(min(a.width, b.width), 1)) else { return false }
        return sameRow(a, b)
    }

    /// Whether a detection box holds a line it shares width with from its top to its bottom.
    static func holds(_ box: BoundingBox, _ line: BoundingBox) -> Bool {
        min(box.x1, line.x1) > max(box.x0, line.x0) && box.y0 <= line.y0 && line.y1 <= box.y1
    }

    /// Whether line `b` lies under line `a`: they share some width and lie on two rows (cells side by
    /// side in one table row, boxed a little higher or lower on a poor scan, are not one under the other).
    static func isUnder(_ b: BoundingBox, _ a: BoundingBox) -> Bool {
        min(a.x1, b.x1) > max(a.x0, b.x0) && (b.y0 + b.y1) > (a.y0 + a.y1) && !sameRow(a, b)
    }

    /// Whether two lines lie on one row: each one's middle lies within the other's height. Rows of
    /// a tight table, whose boxes overlap by their ascenders and descenders, are two rows.
    static func sameRow(_ a: BoundingBox, _ b: BoundingBox) -> Bool {
        let middleA = (a.y0 + a.y1) / 2, middleB = (b.y0 + b.y1) / 2
        return (b.y0...b.y1).contains(middleA) && (a.y0...a.y1).contains(middleB)
    }

    /// How well a word belongs to a line: the area they share, less (a little) how far apart they lie.
    static func belonging(_ word: BoundingBox, _ line: BoundingBox) -> Double {
        let width = min(word.x1, line.x1) - max(word.x0, line.x0), height = min(word.y1, line.y1) - max(word.y0, line.y0)
        let gap = Double(max(0, max(line.x0 - word.x1, word.x0 - line.x1)))
        return Double(max(height, 0)) * (Double(max(width, 0)) + 1) - gap * 1e-3
    }

    /// Words of three letters or more that the dictionary knows.
    func dictionaryWords(_ words: [String]) -> Int {
        words.reduce(0) { count, word in
            let bare = Self.bare(word)
            return bare.unicodeScalars.filter(\.properties.isAlphabetic).count >= 3 && isDictionaryWord(bare) ? count + 1 : count
        }
    }

    /// The share of the letters that the neural model does not have.
    func foreignShare(_ words: [String]) -> Double {
        let letters = words.flatMap(\.unicodeScalars).filter(\.properties.isAlphabetic)
        guard !letters.isEmpty else { return 0 }
        return Double(letters.filter { !neuralReads($0) }.count) / Double(letters.count)
    }

    /// A word without the punctuation around it (`"house,"` → `house`).
    static func bare(_ word: String) -> String {
        word.trimmingCharacters(in: .punctuationCharacters.union(.symbols))
    }

    /// Neural lines Tesseract did not find, in stacks: lines under one another in one column (a
    /// column of line numbers, a paragraph lost in a shadow), each at most two line heights below
    /// the one above, top to bottom.
    static func stacks(_ lines: [NeuralLine]) -> [[NeuralLine]] {
        var stacks: [[NeuralLine]] = []
        for line in lines.sorted(by: { $0.bbox.y0 < $1.bbox.y0 }) {
            let height = max(line.bbox.height, 1)
            if let index = stacks.lastIndex(where: { stack in
                let last = stack[stack.count - 1].bbox
                let shared = min(last.x1, line.bbox.x1) - max(last.x0, line.bbox.x0)
                return Double(shared) >= 0.3 * Double(max(min(last.width, line.bbox.width), 1))
                    && line.bbox.y0 >= (last.y0 + last.y1) / 2 && line.bbox.y0 - last.y1 <= 2 * height
            }) {
                stacks[index].append(line)
            } else {
                stacks.append([line])
            }
        }
        return stacks
    }

    /// Puts a stack of neural lines where it belongs: each line that continues a row of a block
    /// across a space that another line of the block bridges joins it (`join`: the labels of table
    /// rows whose figures Tesseract read; a stack beside text only a little apart is a column of
    /// its own, such as a transcript's line numbers), the rest go into
    /// the block that holds them, else into a block of their own placed before the first block of
    /// their column that starts below it.
    static func place(stack: [NeuralLine], in blocks: inout [Block]) {
        var rest: [NeuralLine] = []
        for line in stack where !blocks.indices.contains(where: { join(line, in: &blocks, block: $0, nearby: false) }) {
            rest.append(line)
        }
        guard !rest.isEmpty else { return }
        let stack = rest
        let lines = stack.map { Line(bbox: $0.bbox, confidence: $0.words.map(\.confidence).mean, words: $0.words) }
        let box = BoundingBox.union(lines.map(\.bbox))!
        if let index = blocks.firstIndex(where: { block in
            block.bbox.x0 <= box.x0 && box.x1 <= block.bbox.x1 && block.bbox.y0 <= box.y0 && box.y1 <= block.bbox.y1
        }) {
            for line in stack { place(line, in: &blocks, index: index) }
            return
        }
        let block = Block(bbox: box, confidence: lines.flatMap(\.words).map(\.confidence).mean, lines: lines)
        let below = blocks.firstIndex { other in
            min(other.bbox.x1, box.x1) > max(other.bbox.x0, box.x0) && other.bbox.y0 > box.y0
        }
        blocks.insert(block, at: below ?? blocks.endIndex)
    }

    /// Puts a neural line into block `index`, in its place from top to bottom.
    private static func place(_ line: NeuralLine, in blocks: inout [Block], index: Int) {
        let newLine = Line(bbox: line.bbox, confidence: line.words.map(\.confidence).mean, words: line.words)
        let centreY = (line.bbox.y0 + line.bbox.y1) / 2
        let position = blocks[index].lines.firstIndex { ($0.bbox.y0 + $0.bbox.y1) / 2 > centreY } ?? blocks[index].lines.count
        blocks[index].lines.insert(newLine, at: position)
        blocks[index].bbox = BoundingBox.union([blocks[index].bbox, line.bbox])!
    }

    /// Puts a neural line Tesseract did not find where it belongs: onto a line on the same row that
    /// it continues (`join`), else into the block around it or just above it (a line's height away
    /// at most), else into a block of its own, placed before the first block of its column that
    /// starts below it (the recogniser's order, where the layout step keeps it).
    static func place(_ line: NeuralLine, in blocks: inout [Block]) {
        let newLine = Line(bbox: line.bbox, confidence: line.words.map(\.confidence).mean, words: line.words)
        for b in blocks.indices where join(line, in: &blocks, block: b, nearby: true) { return }
        let centreX = (line.bbox.x0 + line.bbox.x1) / 2, centreY = (line.bbox.y0 + line.bbox.y1) / 2
        let margin = line.bbox.height
        if let index = blocks.firstIndex(where: { block in
            block.bbox.x0 - margin <= centreX && centreX <= block.bbox.x1 + margin
                && block.bbox.y0 - margin <= centreY && centreY <= block.bbox.y1 + margin
        }) {
            place(line, in: &blocks, index: index)
            return
        }
        let block = Block(bbox: line.bbox, confidence: newLine.confidence, lines: [newLine])
        let below = blocks.firstIndex { other in
            min(other.bbox.x1, line.bbox.x1) > max(other.bbox.x0, line.bbox.x0) && other.bbox.y0 > line.bbox.y0
        }
        blocks.insert(block, at: below ?? blocks.endIndex)
    }

    /// Joins a neural line onto a line of block `block` on the same row that it continues, when
    /// nothing parts them: the line of the block just above or just below reaches across the space
    /// between them, so no gutter runs there (a table row whose label Tesseract lost and whose
    /// figures it read, far to the right), or, when `nearby` counts, they lie two line heights
    /// apart at most (a line Tesseract read only half of, the other half in a shadow). Returns
    /// whether it was joined.
    static func join(_ line: NeuralLine, in blocks: inout [Block], block b: Int, nearby: Bool) -> Bool {
        let height = max(line.bbox.height, 1)
        let lines = blocks[b].lines
        var best: (index: Int, shared: Int)?
        for (l, other) in lines.enumerated() {
            let shared = min(other.bbox.y1, line.bbox.y1) - max(other.bbox.y0, line.bbox.y0)
            let rowHeight = min(height, max(other.bbox.height, 1))
            let gapStart = min(other.bbox.x1, line.bbox.x1), gapEnd = max(other.bbox.x0, line.bbox.x0)
            let gap = gapEnd - gapStart
            guard Double(shared) >= overlapShare * Double(rowHeight), gap >= 0, shared > best?.shared ?? 0 else { continue }
            // The rows next to this one, above and below: a line far away (a paragraph over a code
            // listing, the rendering of that code beside it) says nothing of this row's space.
            let above = lines.filter { $0.bbox.y1 <= other.bbox.y0 + other.bbox.height / 2 }.max { $0.bbox.y1 < $1.bbox.y1 }
            let below = lines.filter { $0.bbox.y0 >= other.bbox.y1 - other.bbox.height / 2 }.min { $0.bbox.y0 < $1.bbox.y0 }
            let bridged = [above, below].contains { $0.map { $0.bbox.x0 <= gapStart && $0.bbox.x1 >= gapEnd } ?? false }
            if (nearby && gap <= 2 * rowHeight) || bridged { best = (l, shared) }
        }
        guard let best else { return false }
        // Detection grows its boxes around the ink: the joined words take the row's height, so
        // that the row stays apart from the rows above and below it for the layout step.
        let other = lines[best.index]
        let words = (other.words + fitted(line.words, top: other.bbox.y0, bottom: other.bbox.y1))
            .sorted { $0.bbox.x0 < $1.bbox.x0 }
        blocks[b].lines[best.index] = Line(bbox: BoundingBox.union(words.map(\.bbox))!,
                                           confidence: words.map(\.confidence).mean, words: words)
        blocks[b].bbox = BoundingBox.union([blocks[b].bbox, blocks[b].lines[best.index].bbox])!
        return true
    }
}
