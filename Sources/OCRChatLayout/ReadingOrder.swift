import OCRChatModel

// The reading order of a page, and why it is made this way.
//
// 1. Units. The recogniser's blocks are the units (its segmentation into paragraphs and lines is
//    sound; the order of its lines inside a block is kept as it is). A block whose lines run across
//    a clear gutter is first cut in two there (`Analysis.splitAtGutter`), and a ruled table found
//    in the image stands as one unit.
// 2. Regions. A recursive XY-cut on the whitespace between the units (`Analysis.cut`) cuts at
//    full-height gutters into columns and at full-width stripes into bands. It is what finds the
//    borderless tables (rows of words in columns that line up, also a table set across the page
//    between columns whose middle gap lines up with the gutter) and sets apart the text around
//    them; each piece it leaves (a block, a table) is one region.
// 3. Order. The regions are put in a topological order of a partial order made only of evidence
//    found on the page (after Breuel, "High performance document layout analysis", 2003):
//    - the XY-cut's bands, where it is sure: at each step of a recursive XY-cut, when the widest
//      whitespace across the part is wider than any gutter down it and two lines high at least,
//      all above it comes before all below it (a title, a spanning table or figure, notes across
//      the foot of the page); this outweighs the two relations below. Whitespace over what keeps
//      to one side of a column gap beside a column that ends there (notes under the shorter left
//      column, the right one going on lower), or under a column that ends there beside one that
//      ended higher (notes under the longer column), is that column's foot, no band: the two
//      relations below order it;
//    - A comes before B when A lies above B and their columns overlap: they share some width, or
//      both share width with a region of one column under A (a heading at the left of a column
//      under a title centred over the gutter); this outweighs a gutter where the two disagree;
//    - A comes before B when A lies in a column to B's left (right, on a right-to-left page) and a
//      clear gutter divides them: an empty stripe, at least a column gap wide and three lines high,
//      that runs from the top of the higher of the two to the bottom of the lower, that no other
//      region crosses, and with no region or drawn rule between them in height that reaches across
//      a gutter from one towards the other (a title, figure, table or rule across the columns, even
//      one that stops short of a third column: the columns above it are read before it, those
//      under it after it). When B lies wholly above A, B's column must reach A: go on down beside
//      it, or end a line or more above the end of the column A goes on (a note under the longer
//      column); a title over the gutter is no column, and a line that starts under two columns
//      that end level follows both. Regions of list markers only (bullets apart from their items)
//      make no column.
//    Where that order leaves a choice it takes the recogniser's order (the region that comes first
//    in it goes first), so that layout changes the recogniser's order only where the page shows it
//    is wrong, and a page with no gutter and no table reads as the recogniser read it. Should the
//    evidence contradict itself (a cycle), the recogniser's order breaks the tie as well.
// 4. Margins. Running heads (the top 8% of the page, apart from the body) go first and running
//    feet (the bottom 8%) last (`PageLayout.settingMargins`). Footnotes need no rule of their
//    own: right under a column, or far down under it beside a longer column, they are read with
//    it, before the column to its right; across the foot of the page, after all the columns.
//
// Only the order of regions changes here: their words and lines are those the regions hold.

extension Analysis {
    /// The regions in reading order: a topological order of the page's evidence (columns above
    /// columns, gutters), the recogniser's order wherever the evidence leaves a choice.
    func readingOrder(_ regions: [Region]) -> [Region] {
        guard regions.count > 1 else { return regions }
        let places = regions.map(place)
        // The evidence costs the cube of the regions: a page of more (specks read as words all over a
        // noisy scan) keeps the recogniser's order, which it is never worse than.
        guard regions.count <= Self.mostRegionsOrdered else {
            return places.indices.sorted { places[$0].position < places[$1].position }.map { regions[$0] }
        }
        let count = regions.count
        var successors = Array(repeating: [Int](), count: count)
        var predecessors = Array(repeating: 0, count: count)
        var above = aboveInSharedColumn(places)
        for (upper, lower) in bandsAcross(places) {
            above[upper][lower] = true
            above[lower][upper] = false
        }
        for a in 0..<count {
            // Above in a column outweighs a gutter where the two disagree.
            for b in 0..<count where a != b && (above[a][b] || (!above[b][a] && isInColumnBefore(a, b, places: places))) {
                successors[a].append(b)
                predecessors[b] += 1
            }
        }
        var placed = Array(repeating: false, count: count)
        var order: [Int] = []
        while order.count < count {
            let remaining = (0..<count).filter { !placed[$0] }
            // A cycle (evidence at odds with itself) is broken at the region the recogniser read first.
            let next = remaining.filter { predecessors[$0] == 0 }.min { places[$0].position < places[$1].position }
                ?? remaining.min { places[$0].position < places[$1].position }!
            placed[next] = true
            order.append(next)
            for successor in successors[next] { predecessors[successor] -= 1 }
        }
        return order.map { regions[$0] }
    }

    /// Most regions whose order is worked out from the page (a dense page has a few hundred).
    static let mostRegionsOrdered = 400

    /// Where a region is: its box, its place in the recogniser's order (its first word), and whether
    /// it holds only list markers or marks.
    struct Place {
        var box: BoundingBox
        var position: Int
        var onlyMarks: Bool
    }

    func place(_ region: Region) -> Place {
        let indices: [Int]
        var box: BoundingBox?
        switch region {
        case .text(let lines): indices = Array(lines.joined())
        case .borderlessTable(let rows): indices = rows.flatMap { $0.flatMap { $0 } }
        case .ruledTable(let index):
            indices = ruledTables[index].words
            box = ruledTables[index].grid.bbox
        }
        let words = indices.map { self.words[$0] }
        let marks = words.allSatisfy { ListMarker.isMarker($0.text) || !$0.text.contains { $0.isLetter || $0.isNumber } }
        return Place(box: box ?? BoundingBox.union(words.map(\.bbox)) ?? BoundingBox(x0: 0, y0: 0, x1: 0, y1: 0),
                     position: indices.min() ?? Int.max, onlyMarks: !words.isEmpty && marks)
    }

    /// For each pair of regions, whether the first lies above the second in a column they share: both
    /// share width with one region of a column (either of them, or one under the first that crosses
    /// no gutter), as a heading at the left of a column lies under a title centred over the page,
    /// and a spanning table over the heading under it at the left.
    func aboveInSharedColumn(_ places: [Place]) -> [[Bool]] {
        let count = places.count
        let tolerance = Int(metrics.lineHeight * 0.3)
        // A few letters' worth of shared width, not a box's ragged edge.
        func sharesWidth(_ one: BoundingBox, _ other: BoundingBox) -> Bool {
            Double(min(one.x1, other.x1) - max(one.x0, other.x0)) >= metrics.lineHeight * 0.5
        }
        func isAbove(_ upper: BoundingBox, _ lower: BoundingBox) -> Bool { upper.y1 <= lower.y0 + tolerance && upper.y0 < lower.y0 }
        let sharing = (0..<count).map { one in (0..<count).filter { $0 != one && sharesWidth(places[one].box, places[$0].box) } }
        // A region across a gutter: it shares width with two regions side by side, a column gap apart.
        let crossesGutter = (0..<count).map { one in
            // (No two of them a column gap apart: most regions, and the pairs need not be tried.)
            let leftmostEnd = sharing[one].lazy.map { places[$0].box.x1 }.min() ?? .max
            let rightmostStart = sharing[one].lazy.map { places[$0].box.x0 }.max() ?? .min
            guard leftmostEnd != .max, rightmostStart - leftmostEnd >= columnGap else { return false }
            return sharing[one].contains { left in
                sharing[one].contains { right in
                    let l = places[left].box, r = places[right].box
                    return r.x0 - l.x1 >= columnGap && l.y0 < r.y1 && l.y1 > r.y0
                }
            }
        }
        var above = Array(repeating: Array(repeating: false, count: count), count: count)
        for a in 0..<count {
            for b in sharing[a] where isAbove(places[a].box, places[b].box) { above[a][b] = true }
        }
        for column in 0..<count where !crossesGutter[column] {
            for a in sharing[column] where isAbove(places[a].box, places[column].box) {
                for b in sharing[column] where b != a && isAbove(places[a].box, places[b].box) { above[a][b] = true }
            }
        }
        return above
    }

    /// The classic XY-cut's evidence, where it is sure: whitespace across a part of the page (the
    /// recursive cut's) that is the widest there and wider than any gutter running down that part
    /// (so not the space between two paragraphs of a column, which a gutter beside it outweighs):
    /// what is above it in that part is read before what is below (a title, a band of columns, a
    /// spanning table or figure, notes across the foot). Pairs (upper, lower) of region indices.
    func bandsAcross(_ places: [Place]) -> [(Int, Int)] {
        var pairs: [(Int, Int)] = []
        cutIntoBands(Array(places.indices), boxes: places.map(\.box), depth: 0, into: &pairs)
        return pairs
    }

    /// One step of the XY-cut over the regions `members`: cut across at the widest stripe when it is
    /// wider than the widest gutter (noting that the part above is read before the part below), else
    /// down at the gutters; then the same in each part.
    private func cutIntoBands(_ members: [Int], boxes: [BoundingBox], depth: Int, into pairs: inout [(Int, Int)]) {
        guard members.count > 1, depth < 12 else { return }
        func gaps(_ spans: [(Int, Int)]) -> [(at: Int, width: Int)] {
            var found: [(at: Int, width: Int)] = []
            var reach = Int.min
            for (start, end) in spans.sorted(by: { $0.0 < $1.0 }) {
                if reach != Int.min, start > reach { found.append((reach, start - reach)) }
                reach = max(reach, end)
            }
            return found
        }
        let across = gaps(members.map { (boxes[$0].x0, boxes[$0].x1) })
        let down = gaps(members.map { (boxes[$0].y0, boxes[$0].y1) })
        let gutter = across.map(\.width).max() ?? 0
        // Two lines' height at least: the space around a heading is no band. Nor is the space under
        // a column above notes that lie beside that column's end (notes under the shorter left column
        // while the right one goes on lower): those notes are the foot of their own column.
        let stripes = down.filter { $0.width > gutter && Double($0.width) >= 2 * metrics.lineHeight }
            .sorted { $0.width > $1.width }
        if let widest = stripes.first(where: { !isColumnFoot(below: $0.at, members, boxes: boxes) }) {
            let upper = members.filter { boxes[$0].y0 <= widest.at }, lower = members.filter { boxes[$0].y0 > widest.at }
            for one in upper { for other in lower { pairs.append((one, other)) } }
            cutIntoBands(upper, boxes: boxes, depth: depth + 1, into: &pairs)
            cutIntoBands(lower, boxes: boxes, depth: depth + 1, into: &pairs)
        } else if gutter >= columnGap {
            let columns = Dictionary(grouping: members) { member in
                across.filter { $0.width >= columnGap && $0.at < boxes[member].x0 }.count
            }
            for inside in columns.values { cutIntoBands(inside, boxes: boxes, depth: depth + 1, into: &pairs) }
        }
    }

    /// Whether what lies below the stripe at `at` keeps to one side of a column gap, is set at the
    /// width of the column on the other side (notes, not a folio), and either that column ends at
    /// the stripe or the column over what lies below does, beside it: a column's foot, not the foot
    /// of the page.
    private func isColumnFoot(below at: Int, _ members: [Int], boxes: [BoundingBox]) -> Bool {
        let lower = members.filter { boxes[$0].y0 > at }
        guard let x0 = lower.map({ boxes[$0].x0 }).min(), let x1 = lower.map({ boxes[$0].x1 }).max() else { return false }
        let upper = members.filter { boxes[$0].y0 <= at }
        func endsAtStripe(_ box: BoundingBox) -> Bool { Double(box.y1) >= Double(at) - metrics.lineHeight }
        func sharesWidthWithLower(_ box: BoundingBox) -> Bool { box.x0 < x1 && box.x1 > x0 }
        return upper.contains { member in
            let beside = boxes[member]
            // A column on the other side of a column gap from all that lies below, that what lies
            // below is set at the width of.
            guard beside.x0 - x1 >= columnGap || x0 - beside.x1 >= columnGap, 2 * (x1 - x0) >= beside.width else { return false }
            // Either that column ends at the stripe (the notes lie beside its end, under the shorter
            // column), or the column the notes lie under does, beside it in height: the foot of a
            // column that runs on lower than the one beside it (notes under the longer column).
            if endsAtStripe(beside) { return true }
            // The column over the notes: what shares width with them and not with the column beside
            // (a title across both is of neither).
            let column = upper.map { boxes[$0] }.filter { sharesWidthWithLower($0) && !($0.x0 < beside.x1 && $0.x1 > beside.x0) }
            return column.contains(where: endsAtStripe) && column.contains { $0.y0 < beside.y1 && $0.y1 > beside.y0 }
        }
    }

    /// Whether region `a` lies in a column before region `b`'s: to its left (right, on a right-to-left
    /// page), a clear gutter between them.
    ///
    /// It is asked of every pair of regions, so the cheap tests come first and none of them allocates:
    /// a dense page has a few hundred regions, and this is what its reading order costs.
    func isInColumnBefore(_ a: Int, _ b: Int, places: [Place]) -> Bool {
        let first = places[a].box, second = places[b].box
        // In a column to the left (right) of it, a clear gutter between them.
        guard !places[a].onlyMarks, !places[b].onlyMarks else { return false }
        let (leftBox, rightBox) = metrics.rightToLeft ? (second, first) : (first, second)
        guard rightBox.x0 - leftBox.x1 >= columnGap else { return false }
        let top = min(first.y0, second.y0), bottom = max(first.y1, second.y1)
        guard Double(bottom - top) >= metrics.lineHeight * 3 else { return false }
        let pair = Pair(a, b)
        guard hasClearStripe(from: leftBox.x1, to: rightBox.x0, top: top, bottom: bottom, places: places, except: pair) else {
            return false
        }
        let (upper, lower) = first.y0 <= second.y0 ? (first, second) : (second, first)
        if isSpannedBetween(upper, lower, places: places, except: pair) { return false }
        return second.y1 > first.y0 || laterColumnReaches(first, from: second, places: places, except: pair)
    }

    /// The two regions a test is about, which it leaves out of the others it looks at.
    struct Pair {
        var one: Int
        var other: Int

        init(_ one: Int, _ other: Int) {
            self.one = one
            self.other = other
        }

        func contains(_ index: Int) -> Bool { index == one || index == other }
    }

    /// For a region `earlier` to the left of (right of, right to left) and wholly under a region
    /// `later`: whether `earlier` lies in a column that `later`'s column reaches, so that `earlier` is
    /// read before it. It does not when `later` stands over a region of `earlier`'s column (a title or
    /// heading across the columns). It does when `later`'s column goes on down beside `earlier`, or when the two
    /// columns stand side by side above `earlier` and `earlier`'s runs on a line or more past the end
    /// of `later`'s (a note under the longer of two columns). It does not when `later` is a title
    /// over the gutter (no column beside `earlier`'s), nor when `earlier` starts under two columns
    /// that end level (the text that follows both).
    func laterColumnReaches(_ earlier: BoundingBox, from later: BoundingBox, places: [Place], except: Pair) -> Bool {
        func sharesWidth(_ box: BoundingBox, _ column: BoundingBox) -> Bool { box.x0 < column.x1 && box.x1 > column.x0 }
        func sideBySide(_ one: BoundingBox, _ other: BoundingBox) -> Bool { one.y0 < other.y1 && one.y1 > other.y0 }
        // `later` over a region of `earlier`'s column (one that reaches no region on `later`'s side of the
        // gutter, above its own foot) is a title or heading across the columns, no column.
        let tolerance = Int(metrics.lineHeight * 0.3)
        let gap = columnGap
        func onLaterSide(_ box: BoundingBox) -> Bool {
            later.x0 >= earlier.x1 ? box.x0 >= earlier.x1 + gap : box.x1 <= earlier.x0 - gap
        }
        // (Loops, not filtered arrays: this is asked of most pairs of regions on a page of columns.)
        for under in places.indices where !except.contains(under) {
            let box = places[under].box
            guard sharesWidth(box, later), sharesWidth(box, earlier), box.y0 >= later.y1 - tolerance else { continue }
            var reachesLaterSide = false
            for other in places.indices where other != under && !except.contains(other) {
                let otherBox = places[other].box
                if sharesWidth(otherBox, box), onLaterSide(otherBox), otherBox.y0 < box.y1 {
                    reachesLaterSide = true
                    break
                }
            }
            if !reachesLaterSide { return false }
        }
        for index in places.indices where !except.contains(index) {
            if sharesWidth(places[index].box, later), sideBySide(places[index].box, earlier) { return true }
        }
        let others = places.indices.filter { !except.contains($0) }
        // `later`'s column down to `earlier`'s top (-1 stands for `later` itself), and `earlier`'s above it.
        let laterColumn = [-1] + others.filter { sharesWidth(places[$0].box, later) && places[$0].box.y1 <= earlier.y0 }
        let earlierColumn = others.filter { sharesWidth(places[$0].box, earlier) && places[$0].box.y1 <= earlier.y0 + tolerance }
        func box(_ index: Int) -> BoundingBox { index < 0 ? later : places[index].box }
        // Side by side somewhere: a region of one overlapping a region of the other in height (a region
        // in both, across the gutter, is of neither), found in one sweep down both.
        let common = Set(laterColumn).intersection(earlierColumn)
        let spans = { (column: [Int]) in column.filter { !common.contains($0) }.map { (box($0).y0, box($0).y1) }.sorted { $0.0 < $1.0 } }
        let laterSpans = spans(laterColumn), earlierSpans = spans(earlierColumn)
        var i = 0, j = 0, sideBySideFound = false
        while i < laterSpans.count, j < earlierSpans.count, !sideBySideFound {
            if laterSpans[i].0 < earlierSpans[j].1, laterSpans[i].1 > earlierSpans[j].0 { sideBySideFound = true }
            if laterSpans[i].1 < earlierSpans[j].1 { i += 1 } else { j += 1 }
        }
        guard sideBySideFound, let earlierEnd = earlierColumn.map({ box($0).y1 }).max() else { return false }
        let laterEnd = laterColumn.map { box($0).y1 }.max()!
        return Double(earlierEnd - laterEnd) >= metrics.lineHeight
    }

    /// Whether a region or a drawn rule wholly between `upper` and `lower` (in height) shares width
    /// with one of them and reaches across the gutter towards the other, past half the way between
    /// them: a figure, table, title or rule across the columns (which the columns above it are read
    /// before and those under it after), not a wider line of the same column.
    func isSpannedBetween(_ upper: BoundingBox, _ lower: BoundingBox, places: [Place], except: Pair) -> Bool {
        func spans(_ box: BoundingBox) -> Bool {
            guard box.y0 >= upper.y1, box.y1 <= lower.y0 else { return false }
            return reachesAcross(box, from: upper, towards: lower) || reachesAcross(box, from: lower, towards: upper)
        }
        for index in places.indices where !except.contains(index) && spans(places[index].box) { return true }
        return horizontalRules.contains(where: spans)
    }

    /// Whether `box` shares width with `one` and reaches past half the way from it towards `other`.
    private func reachesAcross(_ box: BoundingBox, from one: BoundingBox, towards other: BoundingBox) -> Bool {
        guard box.x0 < one.x1, box.x1 > one.x0 else { return false }
        return other.x0 >= one.x1 ? box.x1 > (one.x1 + other.x0) / 2 : box.x0 < (other.x1 + one.x0) / 2
    }

    /// Whether an empty stripe at least a column gap wide runs down between `start` and `end` from
    /// `top` to `bottom`, crossed by no region (other than those excepted).
    func hasClearStripe(from start: Int, to end: Int, top: Int, bottom: Int, places: [Place], except: Pair) -> Bool {
        let gap = columnGap
        guard end - start >= gap else { return false }
        // The free stretches between start and end; most pages have one, rarely more than a few.
        var free = [(start, end)]
        for index in places.indices where !except.contains(index) {
            let box = places[index].box
            guard box.y1 > top, box.y0 < bottom, box.x1 > start, box.x0 < end else { continue }
            var remaining: [(Int, Int)] = []
            for stretch in free {
                guard box.x1 > stretch.0, box.x0 < stretch.1 else {
                    remaining.append(stretch)
                    continue
                }
                if box.x0 - stretch.0 >= gap { remaining.append((stretch.0, box.x0)) }
                if stretch.1 - box.x1 >= gap { remaining.append((box.x1, stretch.1)) }
            }
            free = remaining
            if free.isEmpty { return false }
        }
        return true
    }
}
