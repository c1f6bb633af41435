import Foundation
import OCRChatModel
import Testing
@testable import OCRChatPDF

/// The text layer on its own: placement arithmetic, and scripts a text extractor must get right.
@Suite("searchable pdf text layer")
struct TextLayerTests {
    @Test("the layer lands on the crop box whatever the page's /Rotate and the engine's turn")
    func placement() {
        let box = PDFPageBox(x0: 10, y0: 20, x1: 610, y1: 820, rotate: 0)
        // A point at the layer's top-left must land on the page's top-left as displayed.
        func topLeft(_ rotate: Int, _ turn: Int) -> (x: Double, y: Double) {
            var box = box
            box.rotate = rotate
            let placement = TextLayerPlacement.overPDFPage(rotation: turn, box: box)
            return placement.matrix.apply(0, placement.height)
        }
        // Displayed top-left corners in user space: /Rotate 0 → (x0, y1); 90 → (x0, y0); 180 → (x1, y0); 270 → (x1, y1).
        #expect(topLeft(0, 0) == (10, 820))
        #expect(topLeft(90, 0) == (10, 20))
        #expect(topLeft(180, 0) == (610, 20))
        #expect(topLeft(270, 0) == (610, 820))
        // The engine turned the displayed page clockwise by 90 to read it: the upright top-left is
        // the displayed bottom-left.
        #expect(topLeft(0, 90) == (10, 20))
        let sideways = TextLayerPlacement.overPDFPage(rotation: 90, box: box)
        #expect(sideways.width == 800 && sideways.height == 600)
    }

    @Test("numbers are plain decimals a PDF reader takes")
    func numbers() {
        #expect(InvisibleText.number(12) == "12")
        #expect(InvisibleText.number(0.000_01) == "0")
        #expect(InvisibleText.number(-3.14159) == "-3.142")
        #expect(InvisibleText.number(1e-7 + 5) == "5")
    }

    /// A page with an Arabic line, a Chinese line and a Latin line with accents, over a real image.
    static func scripts() -> Document {
        func word(_ text: String, _ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) -> Word {
            Word(text: text, bbox: BoundingBox(x0: x0, y0: y0, x1: x1, y1: y1), confidence: 0.9)
        }
        // Arabic words in reading order: the first word is the rightmost.
        let arabic = Line(bbox: BoundingBox(x0: 300, y0: 40, x1: 600, y1: 80), confidence: 0.9,
                          words: [word("مرحبا", 480, 40, 600, 80), word("بالعالم", 300, 40, 460, 80)])
        let chinese = Line(bbox: BoundingBox(x0: 40, y0: 140, x1: 400, y1: 180), confidence: 0.9,
                           words: [word("中文文本", 40, 140, 200, 180), word("识别", 220, 140, 300, 180)])
        let latin = Line(bbox: BoundingBox(x0: 40, y0: 240, x1: 600, y1: 280), confidence: 0.9,
                         words: [word("café", 40, 240, 160, 280), word("naïve", 180, 240, 320, 280), word("𝔘nicode", 340, 240, 600, 280)])
        let page = Page(index: 0, width: 640, height: 480, dpi: 0, rotation: 0, source: .ocr, language: "ara+chi_sim+eng",
                        blocks: [Block(bbox: arabic.bbox, confidence: 0.9, lines: [arabic]),
                                 Block(bbox: chinese.bbox, confidence: 0.9, lines: [chinese]),
                                 Block(bbox: latin.bbox, confidence: 0.9, lines: [latin])])
        return Document(pages: [page], requestedLanguage: "auto", tier: "cpu", engine: "test", sourceFormat: "png")
    }

    @Test("right-to-left and CJK text come out of pdftotext in logical order")
    func scriptsSurviveExtraction() async throws {
        let document = Self.scripts()
        let pdf = try PDFFile(try SearchablePDFWriter().write(document, source: try sample("phototest.png")))
        defer { pdf.remove() }
        #expect(try await pdf.check().status == 0)
        // pdftotext marks a right-to-left line with embedding controls (U+202B … U+202C); they are not text.
        let controls = Set("\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}")
        let lines = try await pdf.text().split(whereSeparator: \.isNewline)
            .map { normalized(String($0.filter { !controls.contains($0) })) }.filter { !$0.isEmpty }
        #expect(lines == ["مرحبا بالعالم", "中文文本 识别", "café naïve 𝔘nicode"])
        let boxes = try await pdf.wordBoxes()
        #expect(shareOfWordsOnTheirBoxes(document, boxes, uprightPages: true) == 1, "\(boxes)")
    }

    @Test("a source the writer cannot rebuild pages from, and a missing font, are clear errors")
    func errors() throws {
        var document = Self.scripts()
        document.sourceFormat = "docx"
        #expect(throws: SearchablePDFError.unsupportedSource(format: "docx")) {
            try SearchablePDFWriter().write(document, source: Data())
        }
        let nowhere = ["TESSDATA_PREFIX": "/nonexistent"]
        // Only the system folders remain; the test cannot remove those, so check the message shape.
        let error = SearchablePDFError.fontNotFound(searched: ["/nonexistent"])
        #expect(error.description.contains("pdf.ttf") && error.description.contains("TESSDATA_PREFIX"))
        #expect(throws: SearchablePDFError.self) {
            try SearchablePDFWriter(font: URL(fileURLWithPath: "/nonexistent/pdf.ttf"), environment: nowhere)
        }
    }
}
