import OCRChatModel
import Testing
@testable import OCRChatLayout

/// The reading order of ReadingOrder.swift on pages of words at known places: columns of unequal
/// height with their footnotes, spanning titles and figures, and the recogniser's order kept where the
/// page shows no column.
@Suite("Layout: reading order as a topological order of the page's evidence")
struct ReadingOrderTests {
    /// A paragraph of `count` lines at `x` from `y`, 45 px apart, each line starting with `name`.
    static func paragraph(_ name: String, lines count: Int, x: Int, y: Int, height: Int = 30) -> Block {
        let lines = (0..<count).map { LayoutTests.line("\(name) line \($0) of running text goes on", x: x, y: y + $0 * 45, height: height) }
        return ReadingOrderRulesTests.block(lines)
    }

    /// The first word of each block of the result, in order (the name given to its paragraph).
    static func names(_ page: Page) -> [String] {
        page.blocks.map { $0.lines.first?.words.first?.text ?? "" }
    }

    /// The page: a title over two columns that end at different heights, each with its
    /// footnotes under it (right under its text, or down at the foot of the page), and a page number.
    static func unequalColumns(notesAtFoot: Bool) -> [String: Block] {
        var blocks: [String: Block] = [:]
        blocks["Title"] = ReadingOrderRulesTests.block([LayoutTests.line("Title of the Report", x: 600, y: 120, height: 70)])
        blocks["L1"] = paragraph("L1", lines: 8, x: 100, y: 300)
        blocks["L2"] = paragraph("L2", lines: 6, x: 100, y: 700)
        blocks["Llast"] = paragraph("Llast", lines: 4, x: 100, y: 1000)
        let leftNotes = notesAtFoot ? 2150 : 1240
        blocks["Lnotes"] = paragraph("Lnotes", lines: 2, x: 100, y: leftNotes, height: 22)
        blocks["R1"] = paragraph("R1", lines: 10, x: 1100, y: 300)
        blocks["R2"] = paragraph("R2", lines: 12, x: 1100, y: 780)
        blocks["R3"] = paragraph("R3", lines: 6, x: 1100, y: 1360)
        blocks["Rnotes"] = paragraph("Rnotes", lines: 1, x: 1100, y: notesAtFoot ? 2150 : 1680, height: 22)
        blocks["17"] = ReadingOrderRulesTests.block([LayoutTests.line("17", x: 980, y: 2500)])
        return blocks
    }

    static let columnOrder = ["Title", "L1", "L2", "Llast", "Lnotes", "R1", "R2", "R3", "Rnotes", "17"]

    @Test("two columns of unequal height, footnotes under each: the left column and its notes before the right, whatever the recogniser's order",
          arguments: [false, true])
    func unequalColumnsWithFootnotes(notesAtFoot: Bool) {
        let blocks = Self.unequalColumns(notesAtFoot: notesAtFoot)
        // As the recogniser read it (the right order), and as the old layout did: the left column's last
        // paragraph and notes after the whole right column.
        let wrong = ["Title", "L1", "L2", "R1", "R2", "R3", "Llast", "Lnotes", "Rnotes", "17"]
        // Notes far down at the foot, under whitespace across the page wider than the gutter, are read
        // after both columns (the XY-cut's band); notes right under each column, with that column.
        let expected = notesAtFoot ? ["Title", "L1", "L2", "Llast", "R1", "R2", "R3", "Lnotes", "Rnotes", "17"] : Self.columnOrder
        for given in [Self.columnOrder, wrong] {
            let page = ReadingOrderRulesTests.page(blocks: given.map { blocks[$0]! })
            let result = PageLayout().analyse(page)
            #expect(Self.names(result) == expected, "given \(given)")
            #expect(result.words.count == page.words.count)
        }
    }

    @Test("three columns between a spanning title and a spanning figure, three more under the figure")
    func threeColumnsWithSpanningFigure() {
        var blocks: [String: Block] = [:]
        blocks["Title"] = ReadingOrderRulesTests.block([LayoutTests.line("Title Across Three Columns", x: 500, y: 100, height: 70)])
        for (column, x) in [(0, 100), (1, 730), (2, 1360)] {
            let name = ["A", "B", "C"][column]
            blocks["\(name)1"] = Self.paragraph("\(name)1", lines: 5, x: x, y: 300)
            blocks["\(name)2"] = Self.paragraph("\(name)2", lines: 4 + column, x: x, y: 560)
            let under = ["D", "E", "F"][column]
            blocks["\(under)1"] = Self.paragraph("\(under)1", lines: 6 - column, x: x, y: 1500)
        }
        // The figure's labels inside its frame, and the caption under it, both across the page.
        // The caption is centred and stops short of the third column, as captions do.
        blocks["Figure"] = ReadingOrderRulesTests.block([LayoutTests.line("Figure 1: Tons landed at the quay by year and by cargo of every kind", x: 300, y: 1380)])
        let years = (0..<22).map { String(1800 + 10 * $0) }.joined(separator: " ")
        blocks["axis"] = ReadingOrderRulesTests.block([LayoutTests.line("axis \(years)", x: 100, y: 1200)])
        let expected = ["Title", "A1", "A2", "B1", "B2", "C1", "C2", "axis", "Figure", "D1", "E1", "F1"]
        // The recogniser's order row by row across the columns, the figure last.
        let given = ["Title", "A1", "B1", "C1", "A2", "B2", "C2", "D1", "E1", "F1", "axis", "Figure"]
        let result = PageLayout().analyse(ReadingOrderRulesTests.page(blocks: given.map { blocks[$0]! }))
        #expect(Self.names(result) == expected)
    }

    @Test("without a gutter the page shows nothing: the recogniser's order stays, lines in its order")
    func recogniserOrderKeptWithoutEvidence() {
        // A masthead's two pieces on one line (no gutter three lines tall), the right one read first,
        // and a block whose lines the recogniser gave in an order of its own.
        let right = ReadingOrderRulesTests.block([LayoutTests.line("Invoice 4711", x: 1400, y: 300)])
        let left = ReadingOrderRulesTests.block([LayoutTests.line("ACME Harbour Supplies", x: 100, y: 300)])
        let body = ReadingOrderRulesTests.block([LayoutTests.line("second line as read", x: 100, y: 445),
                                                 LayoutTests.line("first line as read", x: 100, y: 400)])
        let result = PageLayout().analyse(ReadingOrderRulesTests.page(blocks: [right, left, body]))
        #expect(Self.names(result) == ["Invoice", "ACME", "second"])
        #expect(result.blocks.last?.lines.map(\.text) == ["second line as read", "first line as read"])
    }

    @Test("a page of many blocks is ordered in bounded time: two columns of 300 one-line blocks, and a scan of 2,000 specks")
    func manyBlocksInBoundedTime() {
        let clock = ContinuousClock()
        let columns = LayoutTests.columns(rows: 0..<150, left: { "left line \($0) of text" }, right: { "right line \($0) of text" })
        var tall = LayoutTests.page(columns)
        tall.height = 8_000
        var result = tall
        let elapsed = clock.measure { result = PageLayout().analyse(tall) }
        print("300 blocks in two columns: \(elapsed)")
        // (The first rows lie in the top 8% of the page, which makes them running heads.)
        let text = LayoutTests.textLines(result)
        #expect((text.firstIndex(of: "right line 20 of text") ?? 0) > (text.firstIndex(of: "left line 149 of text") ?? .max))
        #expect(elapsed < .seconds(60), "\(elapsed)")
        var generator = SystemRandomNumberGenerator()
        let specks = (0..<2_000).map { _ in
            LayoutTests.line(".", x: Int.random(in: 0..<1900, using: &generator), y: Int.random(in: 0..<2500, using: &generator), height: 8)
        }
        let noisy = clock.measure { result = PageLayout().analyse(LayoutTests.page(specks)) }
        print("2,000 specks: \(noisy)")
        #expect(result.words.count == 2_000)
        #expect(noisy < .seconds(60), "\(noisy)")
    }
}
