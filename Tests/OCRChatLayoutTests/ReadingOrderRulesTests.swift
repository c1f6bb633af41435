import Foundation
import OCRChatModel
import Testing
@testable import OCRChatLayout

/// The rules that keep layout from making a real page read worse than the recogniser's own order
/// (each found on a page of eval-data's scribe set, checked here on words at known places).
@Suite("Layout: rules drawn from real pages")
struct ReadingOrderRulesTests {
    static func line(_ text: String, x: Int, y: Int, height: Int = 30) -> Line {
        LayoutTests.line(text, x: x, y: y, height: height)
    }

    static func page(_ lines: [Line], rulings: [Ruling]? = nil) -> Page { LayoutTests.page(lines, rulings: rulings) }

    /// Lines grouped as one block of the recogniser.
    static func block(_ lines: [Line]) -> Block {
        Block(bbox: BoundingBox.union(lines.map(\.bbox))!, confidence: 0.9, lines: lines)
    }

    static func page(blocks: [Block], rulings: [Ruling]? = nil) -> Page {
        Page(index: 0, width: 2000, height: 2600, dpi: 300, rotation: 0, source: .ocr, language: "eng",
             blocks: blocks, rulings: rulings)
    }

    @Test("a source line under the longer column is read with that column, before the next one")
    func sourceLineStaysWithItsColumn() {
        var lines: [Line] = []
        for row in 0..<12 { lines.append(Self.line("left table row \(row) 915 1382", x: 100, y: 300 + row * 45)) }
        for row in 0..<6 { lines.append(Self.line("right column words of line \(row) here", x: 1100, y: 300 + row * 45)) }
        lines.append(Self.line("Source: company data", x: 100, y: 300 + 12 * 45 + 10))
        lines.append(Self.line("A footer far below", x: 100, y: 2450))
        let text = LayoutTests.textLines(PageLayout().analyse(Self.page(lines)))
        let source = text.firstIndex { $0.hasPrefix("Source:") }
        let right = text.firstIndex { $0.hasPrefix("right") }
        #expect(source != nil && right != nil && source! < right!)
        #expect(text.last == "A footer far below")
    }

    @Test("a note below both columns, across the gutter, still comes after both")
    func noteAcrossTheGutterComesAfter() {
        var lines = LayoutTests.columns(rows: 0..<6, left: { "left column words of line \($0) here" },
                                        right: { "right column words of line \($0) here" })
        lines.append(Self.line("A note that runs across the gutter between the two columns of this page from one side to the other", x: 100, y: 580))
        let text = LayoutTests.textLines(PageLayout().analyse(Self.page(lines)))
        #expect(text.last?.hasPrefix("A note") == true)
        #expect(text.prefix(6).allSatisfy { $0.hasPrefix("left") })
    }

    @Test("notes under the shorter left column, under whitespace wider than the gutter, are read before the right column")
    func notesUnderTheShorterColumnStayWithIt() {
        // In the recogniser's order: a title across the page, the left column, its notes, the right column.
        var blocks: [Block] = []
        blocks.append(Self.block([Self.line("A title across the whole page, over both of its columns and the gutter", x: 300, y: 150)]))
        blocks.append(Self.block((0..<8).map { Self.line("left column words of line \($0) here", x: 100, y: 300 + $0 * 45) }))
        // The right column ends at 915; the notes start 245 pixels lower (wider whitespace than any
        // across the page under the title) and keep to the left column's width.
        blocks.append(Self.block((0..<2).map { Self.line("1 a note under the left column \($0)", x: 100, y: 1160 + $0 * 40) }))
        blocks.append(Self.block((0..<14).map { Self.line("right column words of line \($0) here", x: 1100, y: 300 + $0 * 45) }))
        // A folio far below, beside the notes' end and close to the right column's edge: the foot of
        // the page, which does not make the notes reach across the gutter.
        blocks.append(Self.block([Self.line("133", x: 1040, y: 2450)]))
        let text = LayoutTests.textLines(PageLayout().analyse(Self.page(blocks: blocks)))
        let note = text.firstIndex { $0.hasPrefix("1 a note") }, right = text.firstIndex { $0.hasPrefix("right") }
        let left = text.lastIndex { $0.hasPrefix("left") }
        #expect(note != nil && right != nil && left != nil)
        #expect(left! < note! && note! < right!, "\(text)")
        #expect(text.last == "133")
    }

    @Test("notes under the longer left column, far below it, are read before the right column that ended higher")
    func notesUnderTheLongerColumnStayWithIt() {
        // A paper's first page as a shadowed scan reads it: the right column's lower half is lost, so
        // whitespace wider than the gutter runs across the page between the left column's end and its
        // notes. In the recogniser's order: title, left column, its notes, right column, folio.
        var blocks: [Block] = []
        blocks.append(Self.block([Self.line("A title across the whole page, over both of its columns and the gutter", x: 300, y: 150)]))
        blocks.append(Self.block((0..<14).map { Self.line("left column words of line \($0) here", x: 100, y: 300 + $0 * 45) }))
        blocks.append(Self.block((0..<3).map { Self.line("1 a note under the left column \($0)", x: 100, y: 1500 + $0 * 40) }))
        blocks.append(Self.block((0..<6).map { Self.line("right column words of line \($0) here", x: 1100, y: 300 + $0 * 45) }))
        blocks.append(Self.block([Self.line("133", x: 980, y: 2450)]))
        let page = Self.page(blocks: blocks)
        let text = LayoutTests.textLines(PageLayout().analyse(page))
        let note = text.firstIndex { $0.hasPrefix("1 a note") }, right = text.firstIndex { $0.hasPrefix("right") }
        let left = text.lastIndex { $0.hasPrefix("left") }
        #expect(note != nil && right != nil && left != nil)
        #expect(left! < note! && note! < right!, "\(text)")
        #expect(text.last == "133")
        // Read in another order (the right column first), the notes still follow their own column.
        var reordered = page
        reordered.blocks = [blocks[0], blocks[3], blocks[1], blocks[2], blocks[4]]
        #expect(LayoutTests.textLines(PageLayout().analyse(reordered)) == text)
    }

    @Test("a line under two boxes that end level (an example beside its source) comes after both")
    func lineUnderLevelColumnsComesAfterBoth() {
        var lines = LayoutTests.columns(rows: 0..<3, left: { "the example as it prints line \($0) here" },
                                        right: { "the source that made it line \($0) here" })
        // The space after a displayed example: more than between its lines.
        lines.append(Self.line("Two commands break pages:", x: 100, y: 300 + 3 * 45 + 40))
        lines.append(Self.line("and then the text of the page goes on right across the page from one side to the other side", x: 100, y: 300 + 4 * 45 + 40))
        let text = LayoutTests.textLines(PageLayout().analyse(Self.page(lines)))
        #expect(text.suffix(2).first == "Two commands break pages:")
        #expect(text.prefix(3).allSatisfy { $0.hasPrefix("the example") })
    }

    /// `lines` turned by `degrees` about the page's centre, as a page fed crooked into a scanner: each
    /// word's box moved with its centre and grown by the slant of the word across its width.
    static func turned(_ page: Page, degrees: Double) -> Page {
        let angle = degrees * .pi / 180
        let cx = Double(page.width) / 2, cy = Double(page.height) / 2
        var result = page
        result.blocks = page.blocks.map { block in
            var block = block
            block.lines = block.lines.map { line in
                var line = line
                line.words = line.words.map { word in
                    let (nx, ny) = BoundingBox.turning(x: Double(word.bbox.x0 + word.bbox.x1) / 2, y: Double(word.bbox.y0 + word.bbox.y1) / 2,
                                                       by: angle, centerX: cx, centerY: cy)
                    let w = Double(word.bbox.width), h = Double(word.bbox.height) + Double(word.bbox.width) * abs(sin(angle))
                    return Word(text: word.text, bbox: BoundingBox(x0: Int(nx - w / 2), y0: Int(ny - h / 2), x1: Int(nx + w / 2),
                                                                    y1: Int(ny + h / 2)), confidence: word.confidence)
                }
                line.bbox = BoundingBox.union(line.words.map(\.bbox))!
                return line
            }
            block.bbox = BoundingBox.union(block.lines.map(\.bbox))!
            return block
        }
        return result
    }

    @Test("a crooked two-column article is read column by column, every word in its own box", arguments: [-3.0, 2.0, 3.5])
    func crookedColumns(degrees: Double) {
        var left: [Line] = [], right: [Line] = []
        for row in 0..<30 {
            left.append(Self.line("left column line number \(row) goes on", x: 150, y: 300 + row * 50))
            right.append(Self.line("right column line number \(row) goes on", x: 1050, y: 300 + row * 50))
        }
        // The recogniser read each row across the gutter as one line.
        let rows = zip(left, right).map { Line(bbox: BoundingBox.union([$0.bbox, $1.bbox])!, confidence: 0.9, words: $0.words + $1.words) }
        let page = Self.turned(Self.page(blocks: [Self.block(rows)]), degrees: degrees)
        let result = PageLayout().analyse(page)
        let text = LayoutTests.textLines(result)
        #expect(text.count == 60)
        #expect(text.prefix(30).allSatisfy { $0.hasPrefix("left") })
        #expect(result.blocks.allSatisfy { $0.kind != .table })
        // Only the order changes: the words are those recognised, with the boxes recognised.
        let boxes = { (page: Page) in page.words.map { "\($0.text) \($0.bbox)" }.sorted() }
        #expect(boxes(result) == boxes(page))
    }

    @Test("two boxes side by side on a crooked page, lines of different pitch, are no table")
    func crookedBoxesAreNoTable() {
        var output: [Line] = [], source: [Line] = []
        for row in 0..<4 { output.append(Self.line("Gelse: ein kleines Tier, das \(row)", x: 150, y: 500 + row * 80)) }
        for row in 0..<9 { source.append(Self.line(row % 2 == 0 ? "\\item[Gelse:]" : "ein kleines Tier \(row)", x: 1100, y: 495 + row * 36)) }
        let body = (0..<20).map { Self.line("the text under the example goes on in line \($0) of the page, right across it from one side to the other", x: 150, y: 900 + $0 * 50) }
        let page = Self.turned(Self.page(blocks: [Self.block(source), Self.block(output), Self.block(body)]), degrees: 3)
        let result = PageLayout().analyse(page)
        #expect(result.blocks.allSatisfy { $0.kind != .table })
        let text = LayoutTests.textLines(result)
        // Each box is read whole, then the text under both.
        let firstSource = text.firstIndex { $0.hasPrefix("\\item") }!, lastSource = text.lastIndex { $0.hasPrefix("ein kleines") }!
        let sourceLines = text[firstSource...lastSource]
        #expect(sourceLines.allSatisfy { $0.hasPrefix("\\item") || $0.hasPrefix("ein kleines") })
        #expect(text.suffix(20).allSatisfy { $0.hasPrefix("the text under") }, "\(text)")
    }

    /// A sidebar of `Label: value` lines beside a column of running text, which the recogniser read
    /// as one block of lines that run across the gutter between them (as on a research note).
    static func sidebarMergedWithArticle(gutterMark: Bool) -> Page {
        var lines: [Line] = []
        for row in 0..<8 {
            let sidebar = Self.line("Price \(row): $50.8\(row)", x: 100, y: 300 + row * 45)
            var prose = Self.line("the article goes on here with many words in row \(row)", x: 760, y: 300 + row * 45)
            if gutterMark {  // a vertical rule the recogniser read as a word "|"
                prose.words.insert(Word(text: "|", bbox: BoundingBox(x0: 700, y0: 300 + row * 45, x1: 710, y1: 330 + row * 45),
                                        confidence: 0.3), at: 0)
            }
            lines.append(Line(bbox: BoundingBox.union([sidebar.bbox, prose.bbox])!, confidence: 0.9,
                              words: sidebar.words + prose.words))
        }
        return Self.page(blocks: [Self.block(lines)])
    }

    @Test("a block run across a sidebar's gutter is cut there: the sidebar, then the article", arguments: [false, true])
    func sidebarAndArticleApart(gutterMark: Bool) {
        let result = PageLayout().analyse(Self.sidebarMergedWithArticle(gutterMark: gutterMark))
        let text = LayoutTests.textLines(result)
        #expect(text.prefix(8).allSatisfy { $0.hasPrefix("Price") })
        #expect(text.suffix(8).allSatisfy { $0.contains("the article goes on") })
        #expect(result.words.count == Self.sidebarMergedWithArticle(gutterMark: gutterMark).words.count)
    }

    @Test("a table block's columns are not cut apart, however wide its gutters")
    func tableBlockStaysWhole() {
        var lines: [Line] = []
        let labels = ["Revenue (US$ m)", "EBITDA (US$ m)", "Depr. & amort.", "Reported net income (US$)",
                      "Other NPAT adjustments", "Total liabilities and equity", "Net debt", "Free cash flow per share"]
        for (row, name) in labels.enumerated() {
            let label = Self.line(name, x: 100, y: 300 + row * 45)
            let numbers = [600, 800, 1000, 1200].map { Self.line("\(row)1.\(row)", x: $0, y: 300 + row * 45) }
            let all = [label] + numbers
            lines.append(Line(bbox: BoundingBox.union(all.map(\.bbox))!, confidence: 0.9, words: all.flatMap(\.words)))
        }
        let result = PageLayout().analyse(Self.page(blocks: [Self.block(lines)]))
        let text = LayoutTests.textLines(result)
        #expect(text.count == 8)
        #expect(zip(text, labels).allSatisfy { line, label in line.hasPrefix(label) && line.hasSuffix("\(labels.firstIndex(of: label)!)1.\(labels.firstIndex(of: label)!)") })
    }

    @Test("a ruled table whose cells are whole lists (no rules between rows) reads each list under its header")
    func ruledListColumnsReadDown() throws {
        // Two columns (x 100, 500, 900): a header row (y 200–260) and one body row (260–700) of lists.
        var rulings: [Ruling] = []
        for y in [200, 260, 700] {
            rulings.append(Ruling(orientation: .horizontal, bbox: BoundingBox(x0: 100, y0: y, x1: 900, y1: y + 3)))
        }
        for x in [100, 500, 900] {
            rulings.append(Ruling(orientation: .vertical, bbox: BoundingBox(x0: x, y0: 200, x1: x + 3, y1: 703)))
        }
        var lines = [Self.line("Part No.", x: 150, y: 215), Self.line("Table No.", x: 550, y: 215)]
        for row in 0..<8 {
            lines.append(Self.line("\(row + 1)", x: 150, y: 280 + row * 50))
            lines.append(Self.line("13 A", x: 550, y: 280 + row * 50))
        }
        let result = PageLayout().analyse(Self.page(lines, rulings: rulings))
        let block = try #require(result.blocks.first { $0.kind == .table })
        let numbers: [String] = (1...8).map { String($0) }
        let tables: [String] = Array(repeating: "13 A", count: 8)
        let expected: [String] = ["Part No."] + numbers + ["Table No."] + tables
        #expect(block.lines.map(\.text) == expected)
        // The cells are still the drawn grid.
        #expect(block.table?.grid.first == ["Part No.", "Table No."])
    }

    @Test("running heads in bold or larger type are headers, never headings; a large title stays a heading")
    func runningHeadsAreNotHeadings() {
        let lines = [
            Self.line("7 October 2019", x: 100, y: 60),
            Self.line("Example Research", x: 1500, y: 50, height: 40),
            Self.line("382 Journal of Economics and Management", x: 300, y: 140, height: 42),
            Self.line("Body text line one of the page", x: 100, y: 400),
            Self.line("Body text line two of the page", x: 100, y: 442),
            Self.line("Body text line three of the page", x: 100, y: 484),
            Self.line("KIRKLAND LAKE GOLD Inc", x: 100, y: 2480, height: 38),
        ]
        let result = PageLayout().analyse(Self.page(lines))
        #expect(result.blocks.filter { $0.kind == .header }.count == 3)
        #expect(!result.blocks.contains { $0.kind == .heading })
        #expect(result.blocks.last?.kind == .footer)

        let titled = PageLayout().analyse(Self.page([Self.line("Annual Report", x: 600, y: 80, height: 80)] + lines.suffix(4)))
        #expect(titled.blocks.first?.kind == .heading)
    }

    @Test("a masthead's `Label: value` lines in larger type are key-value lines; a large title with a colon is a heading")
    func mastheadKeyValues() {
        var lines = [
            Self.line("Deep Learning: A Survey", x: 300, y: 300, height: 70),
            Self.line("Analyst: Fahad Tariq", x: 1300, y: 450, height: 40),
            Self.line("Rating: Neutral", x: 1300, y: 520, height: 40),
        ]
        lines += (0..<6).map { Self.line("body text of the report in line \($0) goes on", x: 100, y: 700 + $0 * 45) }
        let result = PageLayout().analyse(Self.page(lines))
        #expect(result.blocks.first?.kind == .heading)
        #expect(result.blocks.filter { $0.kind == .keyValue }.map(\.text) == ["Analyst: Fahad Tariq", "Rating: Neutral"])
    }

    @Test("a line whose boxes swelled is no heading when the next line goes on with its sentence")
    func swollenFirstLineIsNoHeading() {
        var lines = [Self.line("JNJ announced this morning the acquisition of Aragon for", x: 100, y: 300, height: 44)]
        lines += (0..<4).map { Self.line("with a contingent milestone and more words in line \($0)", x: 100, y: 352 + $0 * 40) }
        let result = PageLayout().analyse(Self.page(blocks: [Self.block(lines)]))
        #expect(result.blocks.count == 1)
        #expect(result.blocks.first?.kind == .paragraph)
    }

    @Test("a hatched page (thousands of rulings) is read in bounded time and makes no table")
    func hatchedPageIsBounded() {
        var rulings: [Ruling] = []
        for step in 0..<2_000 {
            rulings.append(Ruling(orientation: .horizontal, bbox: BoundingBox(x0: 100, y0: 100 + step, x1: 1900, y1: 101 + step)))
            rulings.append(Ruling(orientation: .vertical, bbox: BoundingBox(x0: 100 + step / 2, y0: 100, x1: 101 + step / 2, y1: 2100)))
        }
        let lines = (0..<5).map { Self.line("text line \($0) over the hatching", x: 200, y: 300 + $0 * 45) }
        let result = PageLayout().analyse(Self.page(lines, rulings: rulings))
        #expect(!result.blocks.contains { $0.kind == .table })
        #expect(result.words.count == Self.page(lines).words.count)
        #expect(RuledTables.grids(in: rulings, metrics: Metrics(page: Self.page(lines), words: Self.page(lines).words)).isEmpty)
    }
}
