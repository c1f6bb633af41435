import OCRChatModel

/// The grid of a table drawn with ruling lines: row and column boundaries, and its cells with the
/// merged ones joined (where a boundary line is missing between two positions).
struct Grid {
    /// Boundaries between rows, top to bottom (`rowCount + 1` of them).
    var rowEdges: [Int]
    /// Boundaries between columns, left to right (`columnCount + 1` of them).
    var columnEdges: [Int]
    /// Each cell once, at its top-left position, with its span.
    var cells: [(row: Int, column: Int, rowSpan: Int, columnSpan: Int, bbox: BoundingBox)]
    /// For each grid position, the top-left position of the cell that covers it.
    var owner: [[(row: Int, column: Int)]]

    var rowCount: Int { rowEdges.count - 1 }
    var columnCount: Int { columnEdges.count - 1 }
    var bbox: BoundingBox {
        BoundingBox(x0: columnEdges.first!, y0: rowEdges.first!, x1: columnEdges.last!, y1: rowEdges.last!)
    }

    func origin(ofRow row: Int, column: Int) -> (row: Int, column: Int) { owner[row][column] }

    /// The grid position holding the centre of `box`, or nil outside the grid.
    func cell(containing box: BoundingBox) -> (Int, Int)? {
        let x = (box.x0 + box.x1) / 2, y = (box.y0 + box.y1) / 2
        guard let row = (0..<rowCount).first(where: { rowEdges[$0] <= y && y < rowEdges[$0 + 1] }),
              let column = (0..<columnCount).first(where: { columnEdges[$0] <= x && x < columnEdges[$0 + 1] }) else {
            return nil
        }
        return (row, column)
    }

    func nearestCell(to box: BoundingBox) -> (Int, Int) {
        let x = (box.x0 + box.x1) / 2, y = (box.y0 + box.y1) / 2
        let row = (0..<rowCount).min { abs((rowEdges[$0] + rowEdges[$0 + 1]) / 2 - y) < abs((rowEdges[$1] + rowEdges[$1 + 1]) / 2 - y) }!
        let column = (0..<columnCount).min {
            abs((columnEdges[$0] + columnEdges[$0 + 1]) / 2 - x) < abs((columnEdges[$1] + columnEdges[$1 + 1]) / 2 - x)
        }!
        return (row, column)
    }
}

/// Finds ruled tables: sets of horizontal and vertical rulings that cross one another.
enum RuledTables {
    /// Most rulings looked at on one page: the longest are kept, so that a hatched or noisy page (thousands
    /// of short strokes) costs no more time or memory than a page of forms.
    static let maximumRulings = 600
    /// Most grid positions (rows × columns) of one table: more is hatching or a chart, not a table.
    static let maximumCells = 2_500

    static func grids(in rulings: [Ruling], metrics: Metrics) -> [Grid] {
        let tolerance = max(4, Int(metrics.lineHeight * 0.4))
        let rulings = rulings.count <= maximumRulings ? rulings
            : Array(rulings.sorted { max($0.bbox.width, $0.bbox.height) > max($1.bbox.width, $1.bbox.height) }.prefix(maximumRulings))
        let horizontals = rulings.filter { $0.orientation == .horizontal }
        let verticals = rulings.filter { $0.orientation == .vertical }
        guard horizontals.count >= 2, verticals.count >= 2 else { return [] }
        // Rulings that touch (within the tolerance) belong to one table.
        var sets = DisjointSets(count: rulings.count)
        let all = horizontals + verticals
        for (h, horizontal) in horizontals.enumerated() {
            for (v, vertical) in verticals.enumerated() where touches(horizontal.bbox, vertical.bbox, tolerance) {
                sets.union(h, horizontals.count + v)
            }
        }
        var components: [Int: [Ruling]] = [:]
        for index in all.indices { components[sets.find(index), default: []].append(all[index]) }
        return components.values.compactMap { grid(from: $0, tolerance: tolerance, metrics: metrics) }
            .sorted { $0.bbox.y0 < $1.bbox.y0 }
    }

    static func touches(_ a: BoundingBox, _ b: BoundingBox, _ tolerance: Int) -> Bool {
        a.x0 - tolerance <= b.x1 && a.x1 + tolerance >= b.x0 && a.y0 - tolerance <= b.y1 && a.y1 + tolerance >= b.y0
    }

    static func grid(from rulings: [Ruling], tolerance: Int, metrics: Metrics) -> Grid? {
        let horizontals = rulings.filter { $0.orientation == .horizontal }
        let verticals = rulings.filter { $0.orientation == .vertical }
        var rowEdges = clusters(horizontals.map { ($0.bbox.y0 + $0.bbox.y1) / 2 }, tolerance)
        var columnEdges = clusters(verticals.map { ($0.bbox.x0 + $0.bbox.x1) / 2 }, tolerance)
        guard rowEdges.count >= 2, columnEdges.count >= 2 else { return nil }
        // An open side (rules that run past the outermost line across them) is still an edge.
        let reach = Int(metrics.lineHeight)
        if let left = horizontals.map(\.bbox.x0).min(), left < columnEdges[0] - reach { columnEdges.insert(left, at: 0) }
        if let right = horizontals.map(\.bbox.x1).max(), right > columnEdges.last! + reach { columnEdges.append(right) }
        if let top = verticals.map(\.bbox.y0).min(), top < rowEdges[0] - reach { rowEdges.insert(top, at: 0) }
        if let bottom = verticals.map(\.bbox.y1).max(), bottom > rowEdges.last! + reach { rowEdges.append(bottom) }
        let rows = rowEdges.count - 1, columns = columnEdges.count - 1
        guard rows * columns >= 2, rows * columns <= maximumCells else { return nil }
        // Rows lower than a line of text, or columns narrower than a short word, are shading, hatching
        // or a bar chart, not a table.
        let minimumRow = rowEdges.indices.dropLast().map { rowEdges[$0 + 1] - rowEdges[$0] }.min() ?? 0
        let minimumColumn = columnEdges.indices.dropLast().map { columnEdges[$0 + 1] - columnEdges[$0] }.min() ?? 0
        guard Double(minimumRow) >= metrics.lineHeight * 0.9, Double(minimumColumn) >= metrics.lineHeight * 1.2 else { return nil }
        func middleY(_ row: Int) -> Int { (rowEdges[row] + rowEdges[row + 1]) / 2 }
        func middleX(_ column: Int) -> Int { (columnEdges[column] + columnEdges[column + 1]) / 2 }
        // Whether a line separates two neighbouring positions.
        func wallRight(row: Int, column: Int) -> Bool {
            let x = columnEdges[column + 1], y = middleY(row)
            return verticals.contains { abs(($0.bbox.x0 + $0.bbox.x1) / 2 - x) <= tolerance && $0.bbox.y0 - tolerance <= y && $0.bbox.y1 + tolerance >= y }
        }
        func wallBelow(row: Int, column: Int) -> Bool {
            let y = rowEdges[row + 1], x = middleX(column)
            return horizontals.contains { abs(($0.bbox.y0 + $0.bbox.y1) / 2 - y) <= tolerance && $0.bbox.x0 - tolerance <= x && $0.bbox.x1 + tolerance >= x }
        }
        var sets = DisjointSets(count: rows * columns)
        for row in 0..<rows {
            for column in 0..<columns {
                if column + 1 < columns, !wallRight(row: row, column: column) { sets.union(row * columns + column, row * columns + column + 1) }
                if row + 1 < rows, !wallBelow(row: row, column: column) { sets.union(row * columns + column, (row + 1) * columns + column) }
            }
        }
        var members: [Int: [Int]] = [:]
        for position in 0..<(rows * columns) { members[sets.find(position), default: []].append(position) }
        var owner = Array(repeating: Array(repeating: (row: 0, column: 0), count: columns), count: rows)
        var cells: [(row: Int, column: Int, rowSpan: Int, columnSpan: Int, bbox: BoundingBox)] = []
        for group in members.values {
            let rowsOf = group.map { $0 / columns }, columnsOf = group.map { $0 % columns }
            let top = rowsOf.min()!, bottom = rowsOf.max()!, left = columnsOf.min()!, right = columnsOf.max()!
            let rectangular = (bottom - top + 1) * (right - left + 1) == group.count
            let pieces = rectangular ? [(top, left, bottom, right)] : group.map { ($0 / columns, $0 % columns, $0 / columns, $0 % columns) }
            for (top, left, bottom, right) in pieces {
                cells.append((top, left, bottom - top + 1, right - left + 1,
                              BoundingBox(x0: columnEdges[left], y0: rowEdges[top], x1: columnEdges[right + 1], y1: rowEdges[bottom + 1])))
                for row in top...bottom { for column in left...right { owner[row][column] = (top, left) } }
            }
        }
        cells.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        // A grid of one merged cell is a box around text (a frame), not a table.
        guard cells.count >= 2 else { return nil }
        return Grid(rowEdges: rowEdges, columnEdges: columnEdges, cells: cells, owner: owner)
    }

    /// Positions within `tolerance` of one another, merged to their mean, ascending.
    static func clusters(_ values: [Int], _ tolerance: Int) -> [Int] {
        var groups: [[Int]] = []
        for value in values.sorted() {
            if let last = groups.last?.last, value - last <= tolerance {
                groups[groups.count - 1].append(value)
            } else {
                groups.append([value])
            }
        }
        return groups.map { $0.reduce(0, +) / $0.count }
    }
}

/// Union-find over `0..<count`.
struct DisjointSets {
    private var parent: [Int]

    init(count: Int) { parent = Array(0..<count) }

    mutating func find(_ element: Int) -> Int {
        var root = element
        while parent[root] != root { root = parent[root] }
        var node = element
        while parent[node] != root {
            let next = parent[node]
            parent[node] = root
            node = next
        }
        return root
    }

    mutating func union(_ a: Int, _ b: Int) {
        let rootA = find(a), rootB = find(b)
        if rootA != rootB { parent[rootB] = rootA }
    }
}
