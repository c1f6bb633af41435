import OCRChatModel
import Testing
@testable import OCRChatLayout

/// Pages built from words at known places (no recognition): each rule of the layout in isolation.
@Suite("Layout: reading order and structure from words at known places")
struct LayoutTests {
    /// Words of `text` laid left to right from `x` on a line at `y`, 14 pixels a character.
    static func line(_ text: String, x: Int, y: Int, height: Int = 30) -> Line {
        var words: [Word] = []
        var left = x
        for piece in text.split(separator: " ") {
            let width = piece.count * 14
            words.append(Word(text: String(piece), bbox: BoundingBox(x0: left, y0: y, x1: left + width, y1: y + height), confidence: 0.9))
            left += width + 12
        }
        return Line(bbox: BoundingBox.union(words.map(\.bbox))!, confidence: 0.9, words: words)
    }

    /// A page whose lines come in the order given, each a block of the recogniser (which, reading
    /// across the columns, would give them in this order).
    static func page(_ lines: [Line], rulings: [Ruling]? = nil) -> Page {
        let blocks = lines.map { Block(bbox: $0.bbox, confidence: 0.9, lines: [$0]) }
        return Page(index: 0, width: 2000, height: 2600, dpi: 300, rotation: 0, source: .ocr, language: "eng",
                    blocks: blocks, rulings: rulings)
    }

    /// Two columns at x 100 and 1100, a line of each per row (45 px apart from y 300), given row by row
    /// across both as a recogniser reading across the gutter would give them.
    static func columns(rows: some Sequence<Int>, left: (Int) -> String, right: (Int) -> String) -> [Line] {
        rows.flatMap { row in [line(left(row), x: 100, y: 300 + row * 45), line(right(row), x: 1100, y: 300 + row * 45)] }
    }

    /// The page's text after layout, a line of text each.
    static func textLines(_ page: Page) -> [String] { page.text.split(separator: "\n").map(String.init) }

    @Test("two columns read one after the other, even when the recogniser read across them")
    func twoColumns() {
        let lines = Self.columns(rows: 0..<8, left: { "left column line number \($0) goes on" },
                                 right: { "right column line number \($0) goes on" })
        let result = PageLayout().analyse(Self.page(lines))
        let text = Self.textLines(result)
        #expect(text.count == 16)
        #expect(text.prefix(8).allSatisfy { $0.hasPrefix("left") })
        #expect(text.suffix(8).allSatisfy { $0.hasPrefix("right") })
        #expect(result.words.count == Self.page(lines).words.count)
    }

    @Test("a title over two columns comes first; paragraph breaks that line up do not interleave the columns")
    func titleAndAlignedBreaks() {
        let lines = [Self.line("A Large Title", x: 100, y: 100, height: 70)]
            + Self.columns(rows: (0..<10).filter { $0 != 4 }, left: { "left words in row \($0) of text" },
                           right: { "right words in row \($0) of text" })
        let result = PageLayout().analyse(Self.page(lines))
        #expect(result.blocks.first?.kind == .heading)
        #expect(result.blocks.first?.level == 1)
        let body = result.blocks.dropFirst().flatMap(\.lines).map(\.text)
        #expect(body.prefix(9).allSatisfy { $0.hasPrefix("left") })
        #expect(body.suffix(9).allSatisfy { $0.hasPrefix("right") })
    }

    @Test("a borderless table is read row by row, with its cells")
    func borderlessTable() throws {
        var lines = [Self.line("Some text above the table that runs across the whole page width", x: 100, y: 100)]
        let rows = [["Item", "Count", "Price"], ["Apples", "12", "3.50"], ["Pears", "7", "2.10"], ["Plums", "30", "9.99"]]
        for (position, row) in rows.enumerated() {
            for (column, cell) in row.enumerated() {
                lines.append(Self.line(cell, x: 100 + column * 500, y: 250 + position * 50))
            }
        }
        let result = PageLayout().analyse(Self.page(lines))
        let table = try #require(result.blocks.first { $0.kind == .table }?.table)
        #expect(table.grid == rows)
        #expect(table.ruled == false)
        #expect(result.blocks.first { $0.kind == .table }?.text == "Item Count Price\nApples 12 3.50\nPears 7 2.10\nPlums 30 9.99")
    }

    @Test("a group's sub-heading that reaches across the first gutter does not merge the label and value columns")
    func borderlessTableWithGroupHeadings() throws {
        // As in a journal's statistics table: labels at 100, means right-aligned near 480, a gutter of
        // ~150 px between them that the group headings ("Demographic variables") run across.
        var rows: [[String]] = [["Variable", "Mean", "Max"]]
        var lines = [Self.line("Variable", x: 100, y: 250), Self.line("Mean", x: 420, y: 250), Self.line("Max", x: 800, y: 250)]
        var y = 300
        for (group, labels) in [("Demographic variables of the town", ["ADIR", "MDHINC", "POPDEN"]), ("Price and channel", ["PB", "PP", "NTIER"])] {
            lines.append(Self.line(group, x: 90, y: y))
            rows.append([group, "", ""])
            y += 50
            for (number, label) in labels.enumerated() {
                let mean = "\(number + 1)6.2\(number)", top = "2\(number)0.00"
                lines.append(Self.line(label, x: 100, y: y))
                lines.append(Self.line(mean, x: 420, y: y))
                lines.append(Self.line(top, x: 800, y: y))
                rows.append([label, mean, top])
                y += 50
            }
        }
        // One block of the recogniser, a line per row of the table, as Tesseract reads such a table.
        var page = Self.page(lines)
        let byRow = Dictionary(grouping: page.blocks.flatMap(\.lines), by: { $0.bbox.y0 })
        let rowLines = byRow.keys.sorted().map { y in
            let words = byRow[y]!.flatMap(\.words)
            return Line(bbox: BoundingBox.union(words.map(\.bbox))!, confidence: 0.9, words: words)
        }
        page.blocks = [Block(bbox: BoundingBox.union(rowLines.map(\.bbox))!, confidence: 0.9, lines: rowLines)]
        let result = PageLayout().analyse(page)
        let table = try #require(result.blocks.first { $0.kind == .table }?.table)
        #expect(table.grid == rows)
    }

    @Test("a ruled table: cells from the lines, a merged header cell spans two columns")
    func ruledTable() throws {
        // 3 columns (x 100, 500, 900, 1300) × 3 rows (y 200, 280, 360, 440); no line between the first
        // row's columns 2 and 3.
        var rulings: [Ruling] = []
        for y in [200, 280, 360, 440] {
            rulings.append(Ruling(orientation: .horizontal, bbox: BoundingBox(x0: 100, y0: y, x1: 1300, y1: y + 3)))
        }
        for x in [100, 1300] {
            rulings.append(Ruling(orientation: .vertical, bbox: BoundingBox(x0: x, y0: 200, x1: x + 3, y1: 443)))
        }
        rulings.append(Ruling(orientation: .vertical, bbox: BoundingBox(x0: 500, y0: 200, x1: 503, y1: 443)))
        rulings.append(Ruling(orientation: .vertical, bbox: BoundingBox(x0: 900, y0: 280, x1: 903, y1: 443)))
        let lines = [
            Self.line("Name", x: 120, y: 225), Self.line("Results", x: 700, y: 225),
            Self.line("Ann", x: 120, y: 305), Self.line("10", x: 520, y: 305), Self.line("12", x: 920, y: 305),
            Self.line("Bob", x: 120, y: 385), Self.line("8", x: 520, y: 385), Self.line("9", x: 920, y: 385),
        ]
        let result = PageLayout().analyse(Self.page(lines, rulings: rulings))
        let table = try #require(result.blocks.first { $0.kind == .table }?.table)
        #expect(table.ruled)
        #expect(table.rowCount == 3 && table.columnCount == 3)
        #expect(table.grid == [["Name", "Results", ""], ["Ann", "10", "12"], ["Bob", "8", "9"]])
        let merged = try #require(table.cells.first { $0.text == "Results" })
        #expect(merged.columnSpan == 2 && merged.rowSpan == 1)
    }

    @Test("headings by size, bulleted and numbered items, key: value lines, captions")
    func structure() {
        let lines = [
            Self.line("Annual Report", x: 100, y: 100, height: 70),
            Self.line("This paragraph of running text is long enough to wrap onto", x: 100, y: 250),
            Self.line("a second line which ends here.", x: 100, y: 292),
            Self.line("• first point", x: 100, y: 400),
            Self.line("• second point", x: 100, y: 442),
            Self.line("1. numbered point", x: 100, y: 484),
            Self.line("Invoice number: 4711", x: 100, y: 600),
            Self.line("Figure 3. The harbour in 1850", x: 100, y: 700),
        ]
        // The recogniser gives the paragraph's two lines as one block.
        var page = Self.page(lines)
        page.blocks[1].lines.append(lines[2])
        page.blocks[1].bbox = BoundingBox.union([lines[1].bbox, lines[2].bbox])!
        page.blocks.remove(at: 2)
        let result = PageLayout().analyse(page)
        #expect(result.blocks.map(\.kind) == [.heading, .paragraph, .listItem, .listItem, .listItem, .keyValue, .caption])
        #expect(result.blocks[1].lines.count == 2)
    }

    @Test("a sentence wrapped at the text's edge stays one paragraph through a colon or a swollen line; a misread bullet in larger type is a list item")
    func recogniserSlips() {
        // Body lines 30 px high, 42 px apart; the widest line sets the text's right edge.
        let lines = [
            Self.line("The committee examined every proposal that reached it and found the", x: 100, y: 200),
            // A colon in a wrapped line: no form's key, the sentence goes on.
            Self.line("following: the harbour, the bridge and the new school were approved,", x: 100, y: 242),
            // Title case after a line that ran to the edge mid-sentence, in boxes half again as high.
            Self.line("United Nations delegates agreed", x: 100, y: 284, height: 45),
            Self.line("¢ First point of the list", x: 100, y: 420, height: 40),
            Self.line("¢ Second point of the list", x: 100, y: 470, height: 40),
            Self.line("Name: Ada Lovelace", x: 100, y: 600),
            Self.line("Date: 10 December 1815", x: 100, y: 642),
            Self.line("Results Of The Annual Survey Of All Our Members", x: 100, y: 800, height: 45),
            Self.line("The survey asked every member the same four questions about the year.", x: 100, y: 860),
            Self.line("Most of them answered all of the questions within one week.", x: 100, y: 902),
        ]
        // The recogniser's blocks: the paragraph, each item, the form, and the heading with its text.
        var page = Self.page([])
        page.blocks = [0..<3, 3..<4, 4..<5, 5..<7, 7..<10].map { range in
            Block(bbox: BoundingBox.union(lines[range].map(\.bbox))!, confidence: 0.9, lines: Array(lines[range]))
        }
        let result = PageLayout().analyse(page)
        #expect(result.blocks.map(\.kind) == [.paragraph, .listItem, .listItem, .keyValue, .keyValue, .heading, .paragraph],
                "\(result.blocks.map { ($0.kind, $0.text) })")
        #expect(result.blocks.first?.lines.count == 3)
    }

    @Test("a running header and a page number stand apart, first and last")
    func margins() {
        let lines = [
            Self.line("Journal of Examples", x: 800, y: 40),
            Self.line("Body text line one of the page", x: 100, y: 400),
            Self.line("Body text line two of the page", x: 100, y: 442),
            Self.line("Body text line three of the page", x: 100, y: 484),
            Self.line("17", x: 980, y: 2500),
        ]
        let result = PageLayout().analyse(Self.page(lines))
        #expect(result.blocks.first?.kind == .header)
        #expect(result.blocks.last?.kind == .footer)
        #expect(result.blocks.last?.text == "17")
    }

    @Test("right-to-left columns are read from the right")
    func rightToLeft() {
        let lines = Self.columns(rows: 0..<4, left: { "يسار سطر \($0)" }, right: { "يمين سطر \($0)" })
        let result = PageLayout().analyse(Self.page(lines))
        #expect(result.blocks.first?.text.hasPrefix("يمين") == true)
    }

    @Test("de-hyphenation joins a word broken at a line end, and only such a word")
    func runningText() {
        let block = Block(bbox: BoundingBox(x0: 0, y0: 0, x1: 10, y1: 10), confidence: 1,
                          lines: [Self.line("the assess-", x: 0, y: 0), Self.line("ment of Anglo-", x: 0, y: 40),
                                  Self.line("Saxon words", x: 0, y: 80)])
        #expect(block.runningText == "the assessment of Anglo-Saxon words")
    }

    @Test("an empty page stays as it is")
    func emptyPage() {
        let page = Page(index: 0, width: 10, height: 10, dpi: 300, rotation: 0, source: .ocr, language: "eng", blocks: [])
        #expect(PageLayout().analyse(page) == page)
    }
}
