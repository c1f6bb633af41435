import Foundation
import OCRChatModel
import Testing
@testable import OCRChatAnswers

/// A table row as a recogniser boxes it: each cell's words 14 px apart (a word gap), cells where
/// their column starts; `x` of each cell, 30 px high.
func tableLine(_ cells: [(String, Int)], y: Int) -> Line {
    var words: [Word] = []
    for (text, x) in cells {
        var left = x
        for word in text.split(separator: " ") {
            let width = 18 * word.count
            words.append(Word(text: String(word), bbox: BoundingBox(x0: left, y0: y, x1: left + width, y1: y + 30), confidence: 0.9))
            left += width + 14
        }
    }
    return Line(bbox: BoundingBox.union(words.map(\.bbox))!, confidence: 0.9, words: words)
}

/// One page whose blocks are the given lines, each group of lines a block (as layout analysis cut them).
func tablePage(_ blocks: [[Line]]) -> PassageIndex {
    let page = Page(index: 0, width: 1800, height: 1400, dpi: 200, rotation: 0, source: .ocr, language: "eng",
                    blocks: blocks.map { Block(bbox: BoundingBox.union($0.map(\.bbox))!, confidence: 0.9, lines: $0) })
    return PassageIndex(document: Document(pages: [page], requestedLanguage: "eng", tier: "cpu", engine: "t", sourceFormat: "png"))
}

@Suite("Tables read at the crossing of a row and a column")
struct TableAnswerTests {
    let answerer = ExtractiveAnswerer()

    static let staff: [Line] = [
        tableLine([("Staff list, March 2026", 100)], y: 60),
        tableLine([("Name", 100), ("Position", 520), ("Start date", 900), ("Salary", 1350)], y: 120),
        tableLine([("Ann Lee", 100), ("Accountant", 520), ("3 May 2017", 900), ("$58,200", 1350)], y: 170),
        tableLine([("Bo Hamilton", 100), ("Analyst", 520), ("12 March 2019", 900), ("$61,000", 1350)], y: 220),
        tableLine([("Cy Ortiz", 100), ("Engineer", 520), ("1 June 2021", 900), ("$72,500", 1350)], y: 270),
    ]

    @Test("the date in Bo Hamilton's row under the start column, not the header row")
    func rowAndColumn() {
        let index = tablePage([Self.staff])
        let start = answerer.answer(Question("When did Bo Hamilton start?"), in: index)
        #expect(start.value == "12 March 2019")
        #expect(start.citations.first?.page == 1)
        #expect(start.citations.first?.snippet.contains("Bo Hamilton") == true)
        #expect(answerer.answer(Question("What is Cy Ortiz's salary?"), in: index).value == "$72,500")
        #expect(answerer.answer(Question("What is the position of Ann Lee?"), in: index).value == "Accountant")
    }

    @Test("a header in a block of its own and each column a block, as Tesseract often cuts a table")
    func columnsInBlocks() {
        let header = tableLine([("Income Statement", 100), ("12/18A", 700), ("12/19E", 900), ("12/20E", 1100)], y: 100)
        let labels = [tableLine([("Revenue (US$ m)", 100)], y: 150), tableLine([("EBITDA (US$ m)", 100)], y: 200)]
        let figures = [tableLine([("915.9", 700), ("1,382.7", 900), ("1,535.0", 1100)], y: 150),
                       tableLine([("532", 700), ("955", 900), ("1,047", 1100)], y: 200)]
        let index = tablePage([[header], labels, figures])
        #expect(answerer.answer(Question("What was EBITDA in 12/20E?"), in: index).value == "1,047")
        #expect(answerer.answer(Question("What was the revenue in 12/18A?"), in: index).value == "915.9")
    }

    @Test("a column header may abbreviate the question's words: Max for maximum, Std for standard deviation")
    func abbreviatedHeaders() {
        let index = tablePage([[
            tableLine([("Variable", 100), ("Mean", 500), ("Max", 800), ("Min", 1050), ("Std", 1300)], y: 100),
            tableLine([("ADIR", 100), ("66.28", 500), ("210.00", 800), ("1.00", 1050), ("51.08", 1300)], y: 150),
            tableLine([("POPDEN", 100), ("311.48", 500), ("6103.85", 800), ("1.28", 1050), ("608.71", 1300)], y: 200),
        ]])
        #expect(answerer.answer(Question("What is the maximum of POPDEN?"), in: index).value == "6103.85")
        #expect(answerer.answer(Question("What is the standard deviation of ADIR?"), in: index).value == "51.08")
        #expect(answerer.answer(Question("What is the mean of ADIR?"), in: index).value == "66.28")
        #expect(!answerer.answer(Question("What is the median of ADIR?"), in: index).found)
        #expect(TableCells.abbreviation("std", of: ["standard", "deviation"]) == 2)
        #expect(TableCells.abbreviation("max", of: ["maximum"]) == 1)
        #expect(TableCells.abbreviation("me", of: ["median"]) == 0)
    }

    @Test("a form's labels and values are not read as a table: the value beside the label still wins")
    func formIsNotATable() {
        let index = tablePage([[
            tableLine([("Invoice number:", 100), ("INV-2041", 1100)], y: 100),
            tableLine([("Invoice date:", 100), ("14 March 2026", 1100)], y: 150),
            tableLine([("Due date:", 100), ("13 April 2026", 1100)], y: 200),
        ]])
        #expect(answerer.answer(Question("What is the invoice date?"), in: index).value == "14 March 2026")
        #expect(answerer.answer(Question("When is the due date?"), in: index).value == "13 April 2026")
    }

    @Test("the row whose label is all the question asks beats a longer label that holds the same words")
    func closestLabel() {
        let index = tablePage([[
            tableLine([("Balance Sheet (US$)", 100), ("12/18A", 700), ("12/19E", 900)], y: 100),
            tableLine([("Net debt", 100), ("(310)", 700), ("(728)", 900)], y: 150),
            tableLine([("Valuation", 100), ("12/18A", 700), ("12/19E", 900)], y: 250),
            tableLine([("Net debt/equity (%)", 100), ("(24.5)", 700), ("(41.0)", 900)], y: 300),
        ]])
        #expect(answerer.answer(Question("What was the net debt in 12/18A?"), in: index).value == "(310)")
        let earnings = tablePage([[
            tableLine([("Income Statement", 100), ("12/18A", 700), ("12/19E", 900)], y: 100),
            tableLine([("EBITDA (US$ m)", 100), ("532", 700), ("955", 900)], y: 150),
            tableLine([("Earnings", 100), ("12/18A", 700), ("12/19E", 900)], y: 250),
            tableLine([("EBITDA margin (%)", 100), ("58.0", 700), ("69.0", 900)], y: 300),
        ]])
        #expect(answerer.answer(Question("What was EBITDA in 12/19E?"), in: earnings).value == "955")
    }

    @Test("two columns of prose side by side are not read as a table")
    func proseColumns() {
        let index = tablePage([
            [tableLine([("One way to create a song is to record each track", 100)], y: 100),
             tableLine([("all the way through (up to 999 bars).", 100)], y: 150)],
            [tableLine([("The technology you use should never be", 1000)], y: 100),
             tableLine([("so complex that it interferes with the track.", 1000)], y: 150)],
        ])
        let answer = answerer.answer(Question("How many bars can a track be recorded through?"), in: index)
        #expect(answer.value == "999")
    }
}
