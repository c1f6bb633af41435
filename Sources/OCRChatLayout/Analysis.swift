import Foundation
import OCRChatModel

/// The regions of one page: a recursive XY-cut over the recogniser's blocks (and ruled tables), that
/// cuts at the widest whitespace first along columns (full-height gutters), then along bands of the
/// page, and finds the borderless tables on the way. The order of the regions it leaves is made in
/// ReadingOrder.swift (which explains the whole method).
///
/// Bands that share a gutter are joined again before they are cut into columns, so that the rows of
/// a borderless table are seen together.
struct Analysis {
    let words: [Word]
    /// For each word, the recogniser's line it came in (to keep its order of words within a line).
    let recognisedLine: [Int]
    let metrics: Metrics
    let options: PageLayout.Options
    var ruledTables: [(grid: Grid, words: [Int])] = []

    init(page: Page, metrics: Metrics, options: PageLayout.Options) {
        var words: [Word] = [], lines: [Int] = []
        var lineNumber = 0
        for block in page.blocks {
            for line in block.lines {
                for word in line.words {
                    words.append(word)
                    lines.append(lineNumber)
                }
                lineNumber += 1
            }
        }
        self.words = words
        self.recognisedLine = lines
        self.metrics = metrics
        self.options = options
        // Rules drawn across the page (four lines' height long at least), which part bands as text does.
        horizontalRules = (page.rulings ?? []).filter { $0.orientation == .horizontal && Double($0.bbox.width) >= metrics.lineHeight * 4 }
            .map(\.bbox)
    }

    /// The page's long horizontal rules: between two regions, one across the gutter parts them as a
    /// spanning title or figure would (ReadingOrder.swift).
    let horizontalRules: [BoundingBox]

    /// Narrowest gap between columns, in pixels: wider than the space between words.
    var columnGap: Int { max(Int((metrics.lineHeight * 0.9).rounded()), 3) }
    /// Narrowest gap between bands: wider than the leading between lines of a paragraph.
    var bandGap: Int { max(Int((metrics.lineHeight * 0.45).rounded()), 2) }

    // MARK: Cutting

    func cut(_ units: [Unit]) -> [Region] {
        guard units.count > 1 else { return leaf(units) }
        let columns = Self.split(units, gap: columnGap, vertical: true)
        // The widest whitespace is cut first (classic XY-cut): a band across the page (a masthead over
        // two columns) is set apart before the columns under it; bands that share a gutter are joined
        // again below, so that aligned paragraph breaks do not interleave two columns.
        let bandsFirst = Self.widestGap(units, vertical: false) > Self.widestGap(units, vertical: true)
        if columns.count > 1, !isMarkerColumn(columns), !bandsFirst {
            if let regions = borderlessTableWithTextAround(units, columns: columns) { return regions }
            // A line of text across the top of a table hides it from the column cut: cut the bands
            // first when that finds the table.
            if let banded = bandRegions(units), banded.contains(where: \.isTable) { return banded }
            let ordered = metrics.rightToLeft ? Array(columns.reversed()) : columns
            return ordered.flatMap { cut($0) }
        }
        return bandRegions(units) ?? leaf(units)
    }

    /// A table set across the page between two bands of columns, whose middle gap lines up with the
    /// gutter: one of `bands` (whitespace above and below it across the page) whose words make a
    /// borderless table, with its halves read by the recogniser as blocks apart, one in each column.
    /// The band becomes the table, the other bands are cut on their own; nil when no band is such a
    /// table (before bands that share a gutter are joined again, which would hide it in the columns).
    func tableAcrossTheGutter(_ bands: [[Unit]]) -> [Region]? {
        var tables: [Int: Region] = [:]
        func hasColumns(_ units: [Unit]) -> Bool { Self.split(units, gap: columnGap, vertical: true).count > 1 }
        for (position, band) in bands.enumerated() where band.count >= 2 && band.allSatisfy(\.isBlock) {
            // The halves: blocks side by side, as many rows each (one may have a row more, a wrapped cell).
            let halves = Self.split(band, gap: columnGap, vertical: true)
            let rows = halves.map { half in
                lines(of: half.flatMap(\.wordIndices)).compactMap { BoundingBox.union($0.map { words[$0].bbox }) }
            }
            guard halves.count >= 2, let fewest = rows.map(\.count).min(), let most = rows.map(\.count).max(),
                  fewest >= options.minimumTableRows, most - fewest <= 1 else { continue }
            // Rows on the same lines across the halves (boxes of text side by side are not).
            let paired = rows[0].filter { row in rows[1].contains { min($0.y1, row.y1) - max($0.y0, row.y0) >= min($0.height, row.height) / 2 } }
            guard paired.count >= fewest - 1 else { continue }
            // Set between columns that share its gutter above and below it, which is what hides it.
            let neighbours = [position - 1, position + 1].filter { bands.indices.contains($0) }.map { bands[$0] }
            guard neighbours.count == 2, neighbours.allSatisfy({ hasColumns($0) && hasColumns($0 + band) }),
                  let table = wordLevelTable(band) else { continue }
            tables[position] = table
        }
        guard !tables.isEmpty else { return nil }
        return bands.indices.flatMap { tables[$0].map { [$0] } ?? cut(bands[$0]) }
    }

    /// The units cut into bands (rejoined where they share a gutter), each band cut further; nil when
    /// no band can be cut off.
    func bandRegions(_ units: [Unit]) -> [Region]? {
        let bands = Self.split(units, gap: bandGap, vertical: false)
        guard bands.count > 1 else { return nil }
        if let regions = tableAcrossTheGutter(bands) { return regions }
        let joined = joiningBandsWithSharedGutters(bands)
        guard joined.count > 1 else { return nil }
        // Rows of a borderless table that the recogniser read as whole lines: runs of bands whose words
        // share column gutters.
        var regions: [Region] = []
        var start = 0
        while start < joined.count {
            var end = start
            if hasWordColumns(joined[start]) {
                while end + 1 < joined.count, hasWordColumns(joined[end + 1]),
                      hasWordColumns(joined[start...(end + 1)].flatMap { $0 }) {
                    end += 1
                }
            }
            if end > start, let table = wordLevelTable(joined[start...end].flatMap { $0 }) {
                regions.append(table)
            } else {
                for band in joined[start...end] { regions += cut(band) }
            }
            start = end + 1
        }
        return regions
    }

    /// The units' words, each as a unit of its own.
    func wordUnits(_ units: [Unit]) -> [Unit] {
        units.flatMap(\.wordIndices).map(wordUnit)
    }

    /// One word as a unit of its own.
    func wordUnit(_ index: Int) -> Unit { Unit(bbox: words[index].bbox, content: .block([[index]])) }

    /// Whether the words of `units` (blocks only) fall into two columns or more.
    func hasWordColumns(_ units: [Unit]) -> Bool {
        units.allSatisfy(\.isBlock) && Self.split(wordUnits(units), gap: columnGap, vertical: true).count > 1
    }

    /// The units as a borderless table read from their words' columns, when they make one.
    func wordLevelTable(_ units: [Unit]) -> Region? {
        guard units.allSatisfy(\.isBlock) else { return nil }
        let pieces = wordUnits(units)
        let columns = tableColumns(pieces)
        guard columns.count > 1, !isMarkerColumn(columns) else { return nil }
        return borderlessTable(pieces, columns: columns)
    }

    /// The columns of words (each a unit of its own) that may make a table. A row of one run of words
    /// (a group's sub-heading, `Demographic Variables`) can reach across the gutter between the
    /// first columns and join them into one; such rows, when they are few (a quarter of the rows at
    /// most), are left out of the cut and then set in the column where they start.
    func tableColumns(_ pieces: [Unit]) -> [[Unit]] {
        let columns = Self.split(pieces, gap: columnGap, vertical: true)
        let rows = lines(of: pieces.flatMap(\.wordIndices))
        let spanning = rows.filter { row in
            row.count > 1 && Self.split(row.map(wordUnit), gap: columnGap, vertical: true).count == 1
        }
        guard !spanning.isEmpty, spanning.count * 4 <= rows.count else { return columns }
        let left = Set(spanning.joined())
        var narrower = Self.split(pieces.filter { !left.contains($0.wordIndices[0]) }, gap: columnGap, vertical: true)
        guard narrower.count > columns.count else { return columns }
        let boxes = narrower.compactMap { BoundingBox.union($0.map(\.bbox)) }
        for row in spanning {
            let start = row.map { words[$0].bbox.x0 }.min() ?? 0
            let column = boxes.lastIndex { $0.x0 <= start + columnGap } ?? 0
            narrower[column] += row.map(wordUnit)
        }
        return narrower
    }

    /// The widest empty stripe between units along one axis, in pixels (0 when there is none).
    static func widestGap(_ units: [Unit], vertical: Bool) -> Int {
        let sorted = units.sorted { vertical ? $0.bbox.x0 < $1.bbox.x0 : $0.bbox.y0 < $1.bbox.y0 }
        var reach = Int.min, widest = 0
        for unit in sorted {
            let start = vertical ? unit.bbox.x0 : unit.bbox.y0
            if reach != Int.min { widest = max(widest, start - reach) }
            reach = max(reach, vertical ? unit.bbox.x1 : unit.bbox.y1)
        }
        return widest
    }

    /// Groups of units separated by an empty stripe at least `gap` wide, in order along the axis.
    static func split(_ units: [Unit], gap: Int, vertical: Bool) -> [[Unit]] {
        let sorted = units.sorted { vertical ? $0.bbox.x0 < $1.bbox.x0 : $0.bbox.y0 < $1.bbox.y0 }
        var groups: [[Unit]] = []
        var reach = Int.min
        for unit in sorted {
            let start = vertical ? unit.bbox.x0 : unit.bbox.y0
            let end = vertical ? unit.bbox.x1 : unit.bbox.y1
            if groups.isEmpty || start - reach >= gap {
                groups.append([unit])
            } else {
                groups[groups.count - 1].append(unit)
            }
            reach = max(reach, end)
        }
        return groups
    }

    /// Joins neighbouring bands that are both cut into columns by a gutter they share.
    func joiningBandsWithSharedGutters(_ bands: [[Unit]]) -> [[Unit]] {
        var result: [[Unit]] = []
        var current = bands[0]
        var currentHasColumns = Self.split(current, gap: columnGap, vertical: true).count > 1
        for band in bands.dropFirst() {
            let hasColumns = Self.split(band, gap: columnGap, vertical: true).count > 1
            if currentHasColumns, hasColumns, Self.split(current + band, gap: columnGap, vertical: true).count > 1 {
                current += band
            } else {
                result.append(current)
                current = band
                currentHasColumns = hasColumns
            }
        }
        result.append(current)
        return result
    }

    /// Whether the first column holds only list markers (bullets, `1.`, `(a)`) beside the lines they
    /// mark: then the cut would tear each marker from its item.
    func isMarkerColumn(_ columns: [[Unit]]) -> Bool {
        let first = metrics.rightToLeft ? columns[columns.count - 1] : columns[0]
        guard first.allSatisfy(\.isBlock) else { return false }
        let markers = first.flatMap(\.wordIndices).map { words[$0].text }
        guard !markers.isEmpty else { return false }
        // A misread bullet is still one mark that is neither a letter nor a digit ("¢", "e" is not).
        return markers.allSatisfy { ListMarker.isMarker($0) || ($0.count == 1 && !$0.contains { $0.isLetter || $0.isNumber }) }
    }

    // MARK: Blocks across a gutter

    /// A block of the recogniser cut in two at a gutter its lines run across: a column of running text
    /// beside a sidebar, whose lines the recogniser joined over the empty stripe between them. The
    /// stripe must be clear (no word with a letter or digit in it) from the block's first line to its
    /// last, with words on both sides of it in three lines or more, and one side must be running text
    /// (five words a line or more), so that the columns of a table are not torn apart.
    func splitAtGutter(_ lines: [[Int]], depth: Int = 0) -> [[[Int]]] {
        guard depth < 3, lines.count >= 3 else { return [lines] }
        // Lone marks (a rule misread as "|", a stray comma) do not bridge a gutter.
        func isMark(_ index: Int) -> Bool { !words[index].text.contains { $0.isLetter || $0.isNumber } }
        func gutters(_ indices: [Int]) -> [(start: Int, end: Int)] {
            let spans = indices.filter { !isMark($0) }.map { (words[$0].bbox.x0, words[$0].bbox.x1) }.sorted { $0.0 < $1.0 }
            var found: [(start: Int, end: Int)] = []
            var reach = Int.min
            for (start, end) in spans {
                if reach != Int.min, start - reach >= columnGap { found.append((reach, start)) }
                reach = max(reach, end)
            }
            return found
        }
        // Running text: five words a line or more, lines that mostly fill the column (a table's labels
        // are of every length), and no stripe of its own (a table's side has some).
        func isRunningText(_ side: [[Int]]) -> Bool {
            let filled = side.filter { !$0.isEmpty }
            guard median(filled.map { Double($0.filter { !isMark($0) }.count) }) >= 5,
                  let box = BoundingBox.union(filled.joined().map { words[$0].bbox }) else { return false }
            let widths = filled.compactMap { BoundingBox.union($0.map { words[$0].bbox }) }.map { Double($0.width) }
            return median(widths) >= 0.8 * Double(box.width) && gutters(Array(filled.joined())).isEmpty
        }
        for gutter in gutters(Array(lines.joined())).sorted(by: { $0.end - $0.start > $1.end - $1.start }) {
            let middle = (gutter.start + gutter.end) / 2
            func isLeft(_ index: Int) -> Bool { (words[index].bbox.x0 + words[index].bbox.x1) / 2 < middle }
            let left = lines.map { $0.filter(isLeft) }, right = lines.map { $0.filter { !isLeft($0) } }
            let both = lines.indices.filter { !left[$0].isEmpty && !right[$0].isEmpty }.count
            guard both >= 3 else { continue }
            guard isRunningText(left) || isRunningText(right) else { continue }
            let parts = [left.filter { !$0.isEmpty }, right.filter { !$0.isEmpty }]
            return parts.flatMap { splitAtGutter($0, depth: depth + 1) }
        }
        return [lines]
    }

    // MARK: Leaves

    /// Units no cut separates, in the recogniser's order (it placed them; nothing here knows better).
    func leaf(_ units: [Unit]) -> [Region] {
        func position(_ unit: Unit) -> Int {
            switch unit.content {
            case .block(let lines): return lines.first?.first ?? 0
            case .ruledTable(let index): return ruledTables[index].words.min() ?? 0
            }
        }
        return units.sorted { position($0) < position($1) }.map { unit in
            switch unit.content {
            case .block(let lines):
                if lines.count >= options.minimumTableRows, let table = wordLevelTable([unit]) { return table }
                return .text(lines.map(orderedWithinLine))
            case .ruledTable(let index): return .ruledTable(index)
            }
        }
    }

    /// Words grouped into lines (by vertical overlap), lines top to bottom, words in reading order.
    func lines(of indices: [Int]) -> [[Int]] {
        let sorted = indices.sorted { words[$0].bbox.centerY < words[$1].bbox.centerY }
        var lines: [[Int]] = []
        var boxes: [BoundingBox] = []
        for index in sorted {
            let box = words[index].bbox
            if let last = boxes.last {
                let overlap = min(last.y1, box.y1) - max(last.y0, box.y0)
                let smaller = max(min(last.height, box.height), 1)
                if Double(overlap) >= 0.5 * Double(smaller) {
                    lines[lines.count - 1].append(index)
                    boxes[boxes.count - 1] = BoundingBox.union([last, box])!
                    continue
                }
            }
            lines.append([index])
            boxes.append(box)
        }
        return lines.map(orderedWithinLine)
    }

    /// Words of one line in reading order: the recogniser's order when they all came from one of its
    /// lines (it knows the direction of mixed scripts), otherwise by position.
    func orderedWithinLine(_ line: [Int]) -> [Int] {
        if Set(line.map { recognisedLine[$0] }).count == 1 { return line.sorted() }
        let rightToLeft = TextDirection.isMostlyRightToLeft(line.map { words[$0].text }.joined(separator: " "))
        return line.sorted { rightToLeft ? words[$0].bbox.x1 > words[$1].bbox.x1 : words[$0].bbox.x0 < words[$1].bbox.x0 }
    }

    // MARK: Borderless tables

    /// The region as a borderless table, with the blocks wholly above or below its rows of two
    /// columns or more (a title, an address, a closing sentence) kept apart as text before and after
    /// it; nil when the region is no table.
    func borderlessTableWithTextAround(_ units: [Unit], columns: [[Unit]]) -> [Region]? {
        guard let whole = borderlessTable(units, columns: columns) else { return nil }
        let others = columns.dropFirst().flatMap { $0 }
        guard let firstRow = others.map(\.bbox.y0).min(), let lastRow = others.map(\.bbox.y1).max() else { return [whole] }
        let above = units.filter { $0.bbox.y1 < firstRow }
        let below = units.filter { $0.bbox.y0 > lastRow }
        guard !above.isEmpty || !below.isEmpty else { return [whole] }
        let middle = units.filter { $0.bbox.y1 >= firstRow && $0.bbox.y0 <= lastRow }
        let middleColumns = Self.split(middle, gap: columnGap, vertical: true)
        guard middleColumns.count > 1, let table = borderlessTable(middle, columns: middleColumns) else { return [whole] }
        return (above.isEmpty ? [] : cut(above)) + [table] + (below.isEmpty ? [] : cut(below))
    }

    /// The region as a table when its columns line up in rows of short cells.
    func borderlessTable(_ units: [Unit], columns: [[Unit]]) -> Region? {
        guard units.allSatisfy(\.isBlock) else { return nil }
        let columnOf: [Int: Int] = Dictionary(uniqueKeysWithValues: columns.enumerated().flatMap { column, units in
            units.flatMap(\.wordIndices).map { ($0, column) }
        })
        let allWords = units.flatMap(\.wordIndices)
        let rows = lines(of: allWords)
        var grid: [[[Int]]] = rows.map { row in
            var cells = Array(repeating: [Int](), count: columns.count)
            for index in row { cells[columnOf[index]!].append(index) }
            return cells
        }
        let occupied = grid.map { $0.filter { !$0.isEmpty }.count }
        let multiRows = occupied.filter { $0 >= 2 }.count
        let filledCells = occupied.reduce(0, +)
        // A cell of running text (a line across the top of the table, a paragraph beside it) is no cell.
        let wordiest = grid.flatMap { $0 }.map(\.count).max() ?? 0
        guard Double(wordiest) <= options.maximumWordsPerCell * 2 else { return nil }
        let wordsPerCell = Double(allWords.count) / Double(max(filledCells, 1))
        guard multiRows >= options.minimumTableRows, Double(multiRows) >= 0.5 * Double(grid.count),
              wordsPerCell <= options.maximumWordsPerCell else { return nil }
        // Every column must hold something in a good share of rows, else it is a stray word beside text.
        for column in columns.indices {
            let used = grid.filter { !$0[column].isEmpty }.count
            guard used * 4 >= multiRows else { return nil }
        }
        // A wrapped cell: a row with one occupied cell (not the first column) close under the previous
        // row belongs to that row.
        var merged: [[[Int]]] = []
        var previousBottom = Int.min
        for (position, row) in grid.enumerated() {
            let top = rows[position].map { words[$0].bbox.y0 }.min() ?? 0
            let bottom = rows[position].map { words[$0].bbox.y1 }.max() ?? 0
            let filled = row.indices.filter { !row[$0].isEmpty }
            if !merged.isEmpty, filled.count == 1, filled[0] != 0,
               Double(top - previousBottom) < metrics.lineHeight * 0.5 {
                for column in filled { merged[merged.count - 1][column] += row[column] }
            } else {
                merged.append(row)
            }
            previousBottom = bottom
        }
        grid = merged
        if metrics.rightToLeft { grid = grid.map { Array($0.reversed()) } }
        return .borderlessTable(grid)
    }
}

/// Markers that start a list item.
enum ListMarker {
    static let bullets = Set("•◦▪▫●○■□‣⁃∙·-–—*►➢✓\u{F0B7}o")

    /// Whether a word is a bullet or an item number (`1.`, `2)`, `(a)`, `iv.`).
    static func isMarker(_ word: String) -> Bool {
        if word.count == 1, let character = word.first, bullets.contains(character) { return true }
        return isNumber(word)
    }

    /// Whether a word numbers an item: `1.`, `12)`, `(3)`, `a.`, `(b)`, `iv.`.
    static func isNumber(_ word: String) -> Bool {
        word.range(of: #"^(\(?(\d{1,3}|[a-z]|[ivx]{1,4})[.)]|\((\d{1,3}|[a-z]|[ivx]{1,4})\))$"#, options: .regularExpression) != nil
    }
}
