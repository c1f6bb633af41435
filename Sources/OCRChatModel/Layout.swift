/// What a block is to a reader: the structure the layout analysis found.
public enum BlockKind: String, Codable, Sendable, Equatable, CaseIterable {
    /// Running text: its lines belong together and read as one paragraph.
    case paragraph
    /// A heading; `Block.level` says which (1 is the largest).
    case heading
    /// One item of a bulleted or numbered list (its marker kept in the text).
    case listItem = "list-item"
    /// A table; `Block.table` holds its rows and cells, the lines hold its rows as text.
    case table
    /// A `key: value` line as forms and invoices have them.
    case keyValue = "key-value"
    /// A caption of a figure or a table ("Figure 2. …", "Table 1 …").
    case caption
    /// A running header (top margin), apart from the body.
    case header
    /// A running footer or page number (bottom margin), apart from the body.
    case footer
}

/// A table found on a page: its grid and the text of each cell.
public struct Table: Codable, Sendable, Equatable {
    /// Rows of the grid.
    public var rowCount: Int
    /// Columns of the grid.
    public var columnCount: Int
    /// The cells, row by row, each once (a merged cell once, at its top-left position).
    public var cells: [TableCell]
    /// Whether the table was drawn with ruling lines (found in the image) rather than read from
    /// aligned word columns.
    public var ruled: Bool

    public init(rowCount: Int, columnCount: Int, cells: [TableCell], ruled: Bool) {
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.cells = cells
        self.ruled = ruled
    }

    /// The grid as text, `rowCount` × `columnCount`: a merged cell's text stands in its top-left
    /// position and the positions it covers are empty.
    public var grid: [[String]] {
        var grid = Array(repeating: Array(repeating: "", count: columnCount), count: rowCount)
        for cell in cells where cell.row < rowCount && cell.column < columnCount {
            grid[cell.row][cell.column] = cell.text
        }
        return grid
    }

    enum CodingKeys: String, CodingKey {
        case rowCount = "rows", columnCount = "columns", cells, ruled
    }
}

/// One cell of a table.
public struct TableCell: Codable, Sendable, Equatable {
    /// 0-based row of its top-left position.
    public var row: Int
    /// 0-based column of its top-left position.
    public var column: Int
    /// Rows it covers (1 unless merged).
    public var rowSpan: Int
    /// Columns it covers (1 unless merged).
    public var columnSpan: Int
    /// Its text, words in reading order, lines separated by a space.
    public var text: String
    /// Box around the cell in page pixels.
    public var bbox: BoundingBox

    public init(row: Int, column: Int, rowSpan: Int = 1, columnSpan: Int = 1, text: String, bbox: BoundingBox) {
        self.row = row
        self.column = column
        self.rowSpan = rowSpan
        self.columnSpan = columnSpan
        self.text = text
        self.bbox = bbox
    }

    enum CodingKeys: String, CodingKey {
        case row, column, rowSpan = "row_span", columnSpan = "column_span", text, bbox
    }
}

/// A straight ruling line drawn on the page (table borders, underlines, separators), found in the image.
public struct Ruling: Codable, Sendable, Equatable, Hashable {
    /// Which way the line runs.
    public enum Orientation: String, Codable, Sendable {
        case horizontal, vertical
    }

    public var orientation: Orientation
    /// Box around the line in page pixels.
    public var bbox: BoundingBox

    public init(orientation: Orientation, bbox: BoundingBox) {
        self.orientation = orientation
        self.bbox = bbox
    }
}

extension Block {
    /// The block's lines joined into running text, as a reader reads a paragraph: a word broken
    /// with a hyphen at a line end is made whole again ("assess-" + "ment" → "assessment"), a
    /// hyphen before a capital or a digit is kept ("Anglo-" + "Saxon" → "Anglo-Saxon").
    public var runningText: String {
        var result = ""
        for line in lines {
            let text = line.text
            guard !text.isEmpty else { continue }
            if result.isEmpty {
                result = text
            } else if Self.endsWithBrokenWord(result), let first = text.first, first.isLowercase {
                result.removeLast()
                result += text
            } else if Self.endsWithBrokenWord(result) {
                result += text  // a compound split at its own hyphen: Anglo-Saxon
            } else {
                result += " " + text
            }
        }
        return result
    }

    /// A line ending in a letter followed by a hyphen (not a dash, not a lone hyphen).
    static func endsWithBrokenWord(_ text: String) -> Bool {
        guard text.count >= 3, let last = text.last, last == "-" || last == "\u{00AD}" else { return false }
        let beforeLast = text[text.index(text.endIndex, offsetBy: -2)]
        return beforeLast.isLetter
    }
}

extension Block {
    /// Whether the block's lines were wrapped to a width (running text), rather than broken where
    /// they are meant to be (an address, a list of names): three lines or more, and its lines but the
    /// last fill most of it. (Two lines are kept as they are: too little to tell.)
    public var isWrappedText: Bool {
        guard lines.count >= 3 else { return false }
        let width = Double(max(bbox.width, 1))
        let full = lines.dropLast().filter { Double($0.bbox.width) >= 0.75 * width }.count
        return Double(full) >= 0.7 * Double(lines.count - 1)
    }
}
