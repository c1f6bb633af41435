import Foundation
import OCRChatEngine
import OCRChatModel
import OCRChatPDF
import Testing

/// PDF in, the same PDF out with a text layer on the pages that were OCRed.
@Suite("searchable pdf from pdfs")
struct PDFInputTests {
    /// Each page's content streams, decoded, as qpdf shows them.
    static func pageContents(_ file: URL) async throws -> [[Data]] {
        let json = try await Tool.run("qpdf", ["--json=2", "--json-key=pages", file.path])
        guard json.status == 0 else { throw Tool.Failure(description: "qpdf --json: \(json.error)") }
        struct Pages: Decodable {
            struct Page: Decodable { var contents: [String] }
            var pages: [Page]
        }
        var contents: [[Data]] = []
        for page in try JSONDecoder().decode(Pages.self, from: json.output).pages {
            var streams: [Data] = []
            for reference in page.contents {
                let number = reference.split(separator: " ")[0]
                streams.append(try await Tool.run("qpdf", ["--show-object=\(number)", "--filtered-stream-data", file.path]).output)
            }
            contents.append(streams)
        }
        return contents
    }

    /// `document` written over `input`, and both as files for the real tools; qpdf must accept the output.
    static func written(_ document: Document, over input: Data) async throws -> (output: Data, pdf: PDFFile, original: PDFFile) {
        let output = try SearchablePDFWriter().write(document, source: input)
        let pdf = try PDFFile(output), original = try PDFFile(input)
        let check = try await pdf.check()
        #expect(check.status == 0, "qpdf --check: \(check.text) \(check.error)")
        return (output, pdf, original)
    }

    @Test("a born-digital PDF passes through: same pages, same content streams, same text, same size within a few KB")
    func bornDigital() async throws {
        let input = try sample("born-digital-2pages.pdf")
        let document = try await sharedEngine.recognize(input)
        #expect(document.pages.allSatisfy { $0.source == .textLayer })
        let output = try SearchablePDFWriter().write(document, source: input)
        let pdf = try PDFFile(output)
        let original = try PDFFile(input)
        defer { pdf.remove(); original.remove() }
        #expect(try await pdf.check().status == 0)
        #expect(try await pdf.pageCount() == 2)
        #expect(try await pdf.text() == (try await original.text()))
        #expect(try await Self.pageContents(pdf.url) == (try await Self.pageContents(original.url)))
        report("born-digital-2pages.pdf: input \(input.count) B, output \(output.count) B")
        #expect(abs(output.count - input.count) < 4_096)
    }

    @Test("a scanned PDF keeps its page images and gains the text, on the words' boxes")
    func scanned() async throws {
        let input = try sample("scanned-2pages.pdf")
        let document = try await sharedEngine.recognize(input)
        #expect(document.pages.allSatisfy { $0.source == .ocr })
        let (output, pdf, original) = try await Self.written(document, over: input)
        defer { pdf.remove(); original.remove() }
        #expect(try await pdf.pageCount() == 2)
        let cer = characterErrorRate(try await pdf.text(), truth: document.text)
        #expect(cer < 0.01)
        let share = shareOfWordsOnTheirBoxes(document, try await pdf.wordBoxes(), uprightPages: false)
        #expect(share >= 0.95)
        // The original images, untouched: same list, same sizes, same encodings.
        let images = try await pdf.images().map { [$0["width"], $0["height"], $0["enc"], $0["bpc"], $0["size"]] }
        #expect(images == (try await original.images().map { [$0["width"], $0["height"], $0["enc"], $0["bpc"], $0["size"]] }))
        report("scanned-2pages.pdf: CER \(cer), words on their boxes \(share), input \(input.count) B, output \(output.count) B")
        #expect(output.count < input.count + 16_384)
        // The layer is invisible: rendered, each page is the input's page to the pixel.
        for page in 1...2 {
            let difference = try await RenderDifference.between(original: try await original.render(page: page, dpi: 50),
                                                          rendered: try await pdf.render(page: page, dpi: 50))
            #expect(difference.meanAbsoluteDifference == 0, "page \(page): \(difference)")
        }
    }

    @Test("redo: pages whose text is an earlier OCR's invisible layer are read again and keep only the new layer; visible text stays")
    func redo() async throws {
        // stale-ocr-layer.pdf: a wrong invisible layer in the page (1), visible text (2), a wrong layer
        // in a Form XObject (3), a wrong layer followed by a caption that needs its font (4).
        let input = try sample("stale-ocr-layer.pdf")
        let counts = try PDFTextLayers.counts(of: input, password: nil)
        #expect(counts.map(\.isOCRLayer) == [true, false, true, true], "\(counts)")
        #expect(counts[1].invisible == 0 && counts[1].visible > 60)
        var options = RecognitionOptions(language: "eng")
        options.textLayer = .redo
        let document = try await sharedEngine.recognize(input, options: options)
        #expect(document.pages.map(\.source) == [.ocr, .textLayer, .ocr, .ocr])
        #expect(document.pages[0].text.contains("quick brown dog"), "\(document.pages[0].text)")
        let (output, pdf, original) = try await Self.written(document, over: input)
        defer { pdf.remove(); original.remove() }
        let text = try await pdf.text()
        #expect(!text.contains("Stale words"), "the old layer is gone: \(text)")
        #expect(text.components(separatedBy: "quick brown dog").count - 1 >= 9, "the new layers of pages 1, 3 and 4")
        #expect(text.contains("Visible born-digital text stays as it is"))
        // After: each redone page's text is ours alone (invisible), the visible page untouched.
        let after = try PDFTextLayers.counts(of: output, password: nil)
        #expect(after[1] == counts[1])
        #expect(try await Self.pageContents(pdf.url)[1] == (try await Self.pageContents(original.url))[1])
        for page in [0, 2] { #expect(after[page].visible == 0 && after[page].invisible > 0, "page \(page + 1): \(after[page])") }
        // Page 4 keeps its visible caption (the rendering below shows it still prints in its font).
        #expect(after[3].visible == "Printed caption in the font set before it".utf8.count, "\(after[3])")
        // Nothing visible changed: rendered, each page is the input's to the pixel.
        for page in 1...4 {
            let difference = try await RenderDifference.between(original: try await original.render(page: page, dpi: 50),
                                                          rendered: try await pdf.render(page: page, dpi: 50))
            #expect(difference.meanAbsoluteDifference == 0, "page \(page): \(difference)")
        }
    }

    /// scanned-2pages.pdf with its pages' /Rotate changed by qpdf, each step one qpdf run.
    static let turnedPages: [(name: String, steps: [[String]], rotate: Int)] = [
        // Content drawn sideways in user space, shown upright by /Rotate 90 (or 270).
        ("upright through /Rotate 90", [["--rotate=-90"], ["--flatten-rotation"], ["--rotate=+90"]], 90),
        ("upright through /Rotate 270", [["--rotate=+90"], ["--flatten-rotation"], ["--rotate=-90"]], 270),
        // Shown upside down: the engine turns the page 180° to read it.
        ("upside down by /Rotate 180", [["--rotate=+180"]], 180),
    ]

    @Test("pages with a /Rotate, and pages the engine turned, get their layer on the words as displayed",
          arguments: turnedPages.indices)
    func rotatedPages(index: Int) async throws {
        let (name, steps, rotate) = Self.turnedPages[index]
        let scratch = try Tool.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        var current = samples.appendingPathComponent("scanned-2pages.pdf")
        for (number, step) in steps.enumerated() {
            let next = scratch.appendingPathComponent("step\(number).pdf")
            let run = try await Tool.run("qpdf", step + [current.path, next.path])
            #expect(run.status == 0, "\(step): \(run.error)")
            current = next
        }
        let input = try Data(contentsOf: current)
        let document = try await sharedEngine.recognize(input)
        let pdf = try PDFFile(try SearchablePDFWriter().write(document, source: input))
        defer { pdf.remove() }
        #expect(try await pdf.check().status == 0)
        let cer = characterErrorRate(try await pdf.text(), truth: document.text)
        let share = shareOfWordsOnTheirBoxes(document, try await pdf.wordBoxes(), rotate: rotate, uprightPages: false)
        report("scanned-2pages.pdf \(name): engine turned \(document.pages.map(\.rotation)), CER \(cer), words on their boxes \(share)")
        #expect(cer < 0.01)
        #expect(share >= 0.95)
    }

    @Test("an encrypted PDF that the password opens gets its layer; without the password, a clear error")
    func encrypted() async throws {
        let input = try sample("encrypted-openpassword.pdf")
        let document = try await sharedEngine.recognize(input, options: RecognitionOptions(password: "openpassword"))
        #expect(throws: SearchablePDFError.self) { try SearchablePDFWriter().write(document, source: input) }
        do {
            _ = try SearchablePDFWriter().write(document, source: input)
        } catch let error as SearchablePDFError {
            guard case .passwordRequired = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.description.contains("password"))
        }
        let output = try SearchablePDFWriter(password: "openpassword").write(document, source: input)
        let pdf = try PDFFile(output)
        defer { pdf.remove() }
        #expect(try await pdf.check(password: "openpassword").status == 0)
    }
}
