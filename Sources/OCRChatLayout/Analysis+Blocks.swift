import Foundation
import OCRChatModel

/// Regions become blocks: text is cut into paragraphs, headings, list items, key-value lines and
/// captions; tables keep their grid.
extension Analysis {
    func blocks(for region: Region) -> [Block] {
        switch region {
        case .text(let lines):
            return textBlocks(lines)
        case .borderlessTable(let rows):
            return [tableBlock(rows: rows.map { $0.map { [$0] } }, spans: nil, ruled: false)].compactMap { $0 }
        case .ruledTable(let index):
            let (grid, indices) = ruledTables[index]
            return [ruledTableBlock(grid, words: indices)].compactMap { $0 }
        }
    }

    // MARK: Text

    func textBlocks(_ lines: [[Int]]) -> [Block] {
        let built = lines.map(makeLine)
        let rightEdge = built.map(\.bbox.x1).max() ?? 0
        var groups: [[Line]] = []
        for (position, line) in built.enumerated() {
            guard let previous = groups.last?.last, position > 0 else {
                groups.append([line])
                continue
            }
            if startsNewBlock(line, after: previous, rightEdge: rightEdge) {
                groups.append([line])
            } else {
                groups[groups.count - 1].append(line)
            }
        }
        return groups.map(classify)
    }

    /// Where a paragraph ends. The recogniser's small slips must not cut one mid-sentence: a colon
    /// read into a wrapped line makes it look like a form's `key: value`, and a line's boxes swell
    /// where it ran into a sidebar. What holds a sentence together is evidence of the wrap itself
    /// (`goesOn`), asked before those looks.
    func startsNewBlock(_ line: Line, after previous: Line, rightEdge: Int) -> Bool {
        let height = metrics.lineHeight
        if Double(line.bbox.y0 - previous.bbox.y1) > height * 0.8 { return true }
        if isListItemStart(line) { return true }
        // A form's short `key: value` line is an entry of its own, whatever follows it.
        if isKeyValue(previous), !reachesEdge(previous, rightEdge: rightEdge) { return true }
        if goesOn(line, after: previous, rightEdge: rightEdge) { return false }
        if isKeyValue(line) || isKeyValue(previous) { return true }
        // A change of size: a heading above text, or text under a heading.
        let previousIsLarge = metrics.size(of: [previous]) >= metrics.bodySize * 1.25
        let lineIsLarge = metrics.size(of: [line]) >= metrics.bodySize * 1.25
        return previousIsLarge != lineIsLarge
    }

    /// Whether `line` goes on with the sentence of `previous`: it starts in lower case after no
    /// full stop, or `previous` was wrapped mid-sentence. Wrapped means it is a line of running
    /// text (five words or more, not title-sized) that reaches the right edge of the text (within
    /// two line heights: the next word did not fit), and mid-sentence means it ends with a comma,
    /// a hyphen or a word in lower case. A title-cased heading ends with a capital; a sentence-cased
    /// one is short, so it does not reach the edge of the paragraph under it.
    func goesOn(_ line: Line, after previous: Line, rightEdge: Int) -> Bool {
        guard let last = previous.text.last else { return false }
        if ".:!?".contains(last) { return false }
        if let first = line.text.first(where: \.isLetter), first.isLowercase { return true }
        guard previous.words.count >= 5, reachesEdge(previous, rightEdge: rightEdge),
              metrics.size(of: [previous]) < metrics.bodySize * 1.7 else { return false }
        if ",;-\u{2010}".contains(last) { return true }
        return previous.words.last?.text.first(where: \.isLetter)?.isLowercase == true
    }

    private func reachesEdge(_ line: Line, rightEdge: Int) -> Bool {
        Double(rightEdge - line.bbox.x1) <= 2 * metrics.lineHeight
    }

    func classify(_ lines: [Line]) -> Block {
        let box = BoundingBox.union(lines.map(\.bbox))!
        let words = lines.flatMap(\.words)
        let confidence = words.meanConfidence
        var block = Block(bbox: box, confidence: confidence, lines: lines)
        let first = lines[0]
        let text = block.text
        let level = headingLevel(lines)
        // `Analyst: Fahad Tariq` in a masthead's larger type is a form's line, not a section heading;
        // a title in large type (`Deep Learning: A Survey`) still is one.
        if lines.count == 1, isKeyValue(first), level != 1 {
            block.kind = .keyValue
        } else if let level, level == 1 || (level == 2 && !startsWithBullet(first)) {
            block.kind = .heading
            block.level = level
        } else if isListItemStart(first) {
            block.kind = .listItem
        } else if lines.count == 1, isKeyValue(first) {
            block.kind = .keyValue
        } else if lines.count <= 2, text.range(of: #"^(Figure|Fig\.|Table|TABLE|FIGURE|Chart|Exhibit)\s+[0-9IVX]+[.:]?"#,
                                              options: .regularExpression) != nil {
            block.kind = .caption
        } else if let level = headingLevel(lines) {
            block.kind = .heading
            block.level = level
        }
        return block
    }

    /// A heading: a short block of large type, or a short numbered title (`2.3 Results`) slightly
    /// taller than the body, that does not end like a sentence.
    func headingLevel(_ lines: [Line]) -> Int? {
        guard lines.count <= 3 else { return nil }
        let words = lines.flatMap(\.words)
        guard words.count <= 15, words.contains(where: { $0.text.contains(where: \.isLetter) }) else { return nil }
        let text = lines.map(\.text).joined(separator: " ")
        // A line that starts in lower case goes on a sentence (a wrapped line set apart), it heads nothing.
        if let first = text.first(where: \.isLetter), first.isLowercase { return nil }
        if let last = text.last, ".,;".contains(last), !(lines.count == 1 && words.count <= 3 && last == ".") { return nil }
        // Size from the words that carry letters, since a line of digits or dots is short.
        let size = metrics.size(of: lines) / metrics.bodySize
        if size >= 1.7 { return 1 }
        if size >= 1.25 { return 2 }
        if lines.count == 1, words.count <= 10,
           let numbering = text.range(of: #"^(\d+(\.\d+){0,3})\.?\s+\p{Lu}"#, options: .regularExpression) {
            let depth = text[numbering].filter { $0 == "." }.count
            if size >= 1.1 { return min(2 + depth, 4) }
        }
        return nil
    }

    /// A list item's mark that is no number: a bullet, a dash, or a bullet misread as another
    /// lone mark (`¢`). Its item is a list item even where the recogniser's boxes make the line
    /// look larger than the body (a heading is numbered, if anything).
    func startsWithBullet(_ line: Line) -> Bool {
        guard isListItemStart(line), let first = line.words.first?.text else { return false }
        return !ListMarker.isNumber(first)
    }

    func isListItemStart(_ line: Line) -> Bool {
        guard let first = line.words.first?.text, let character = first.first else { return false }
        if "•◦▪●■‣►➢".contains(character) { return first.count > 1 || line.words.count >= 2 }
        guard line.words.count >= 2 else { return false }
        // A dash, or a bullet the recogniser misread as some other lone mark ("¢", "«").
        if first.count == 1, !character.isLetter, !character.isNumber, !"([{\"'“‘$€£#%&".contains(character) { return true }
        return ListMarker.isNumber(first)
    }

    /// `Key: value` on one line, with a short key.
    func isKeyValue(_ line: Line) -> Bool {
        guard line.words.count >= 2 else { return false }
        let text = line.text
        guard let colon = text.firstIndex(of: ":") else { return false }
        let key = text[..<colon]
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        let keyWords = key.split(separator: " ")
        guard !keyWords.isEmpty, keyWords.count <= 5, !value.isEmpty, key.contains(where: \.isLetter) else { return false }
        // A time (10:30) or a URL is not a key.
        if let before = key.last, before.isNumber, let after = value.first, after.isNumber { return false }
        if value.hasPrefix("//") { return false }
        return true
    }

    func makeLine(_ indices: [Int]) -> Line {
        let lineWords = indices.map { words[$0] }
        let box = BoundingBox.union(lineWords.map(\.bbox))!
        return Line(bbox: box, confidence: lineWords.meanConfidence, words: lineWords)
    }

    // MARK: Tables

    /// A table block from rows of cells (each cell a list of pieces of word indices), spans given per
    /// top-left cell when the table has merged cells.
    func tableBlock(rows: [[[[Int]]]], spans: [[(rows: Int, columns: Int)?]]?, ruled: Bool,
                    cellBoxes: [[BoundingBox]]? = nil) -> Block? {
        guard let columnCount = rows.first?.count, columnCount > 0 else { return nil }
        var cells: [TableCell] = []
        var rowLines: [Line] = []
        for (rowIndex, row) in rows.enumerated() {
            var rowWords: [Word] = []
            for (columnIndex, pieces) in row.enumerated() {
                var span: (rows: Int, columns: Int)?
                if let spans {
                    guard let own = spans[rowIndex][columnIndex] else { continue }  // covered by a merged cell
                    span = own
                }
                let indices = pieces.flatMap { $0 }
                let cellLines = lines(of: indices)
                let cellWords = cellLines.flatMap { $0 }.map { words[$0] }
                rowWords += cellWords
                let text = cellLines.map { $0.map { words[$0].text }.joined(separator: " ") }.joined(separator: " ")
                guard let box = cellBoxes?[rowIndex][columnIndex] ?? BoundingBox.union(cellWords.map(\.bbox)) else { continue }
                cells.append(TableCell(row: rowIndex, column: columnIndex, rowSpan: span?.rows ?? 1,
                                       columnSpan: span?.columns ?? 1, text: text, bbox: box))
            }
            if let box = BoundingBox.union(rowWords.map(\.bbox)) {
                rowLines.append(Line(bbox: box, confidence: rowWords.meanConfidence,
                                  words: rowWords))
            }
        }
        guard let box = BoundingBox.union(rowLines.map(\.bbox) + cells.map(\.bbox)) else { return nil }
        let allWords = rowLines.flatMap(\.words)
        let confidence = allWords.meanConfidence
        let table = Table(rowCount: rows.count, columnCount: columnCount, cells: cells, ruled: ruled)
        return Block(bbox: box, confidence: confidence, lines: rowLines, kind: .table, table: table)
    }

    func ruledTableBlock(_ grid: Grid, words indices: [Int]) -> Block? {
        var rows = Array(repeating: Array(repeating: [[Int]](), count: grid.columnCount), count: grid.rowCount)
        var outside: [Int] = []
        for index in indices {
            if let (row, column) = grid.cell(containing: words[index].bbox) {
                let origin = grid.origin(ofRow: row, column: column)
                rows[origin.row][origin.column].append([index])
            } else {
                outside.append(index)
            }
        }
        // Words on the border are put in the nearest cell rather than lost.
        for index in outside {
            let (row, column) = grid.nearestCell(to: words[index].bbox)
            let origin = grid.origin(ofRow: row, column: column)
            rows[origin.row][origin.column].append([index])
        }
        var spans: [[(rows: Int, columns: Int)?]] = Array(repeating: Array(repeating: nil, count: grid.columnCount),
                                                          count: grid.rowCount)
        var boxes: [[BoundingBox]] = Array(repeating: Array(repeating: grid.bbox, count: grid.columnCount), count: grid.rowCount)
        for merged in grid.cells {
            spans[merged.row][merged.column] = (merged.rowSpan, merged.columnSpan)
            boxes[merged.row][merged.column] = merged.bbox
        }
        guard var block = tableBlock(rows: rows, spans: spans, ruled: true, cellBoxes: boxes) else { return nil }
        // Rows drawn without rules between them (a cell holding a whole list, beside another such
        // cell) are not known: the text is read column by column, each list under its header, rather
        // than one list after another with the headers all above them.
        let listCells = rows.map { row in row.filter { lines(of: $0.flatMap { $0 }).count >= 3 }.count }
        if listCells.contains(where: { $0 >= 2 }) {
            block.lines = (0..<grid.columnCount).flatMap { column in
                (0..<grid.rowCount).filter { spans[$0][column] != nil }.flatMap { row in
                    lines(of: rows[row][column].flatMap { $0 }).map(makeLine)
                }
            }
        }
        return block
    }
}
