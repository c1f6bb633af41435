import Foundation
import OCRChatEngine
import OCRChatModel
import OCRChatPDF
import Testing

/// Image in, searchable PDF out: read back by qpdf, pdftotext, pdfimages and pdftoppm.
@Suite("searchable pdf from images")
struct ImageInputTests {
    /// What one sample becomes, with everything the checks need.
    struct Written {
        var document: Document
        var pdf: PDFFile
        var inputSize: Int
        var outputSize: Int
    }

    static func write(_ name: String) async throws -> Written {
        let input = try sample(name)
        let document = try await sharedEngine.recognize(input)
        let output = try SearchablePDFWriter().write(document, source: input)
        return Written(document: document, pdf: try PDFFile(output), inputSize: input.count, outputSize: output.count)
    }

    @Test("qpdf accepts it, pdftotext gives the job's text, and the words sit on their boxes",
          arguments: ["phototest.png", "phototest.jpg", "phototest-rotated-90.png", "letter-3pages.tif",
                      "phototest.gif", "phototest.webp", "phototest.bmp"])
    func textAndBoxes(name: String) async throws {
        let written = try await Self.write(name)
        defer { written.pdf.remove() }
        let check = try await written.pdf.check()
        #expect(check.status == 0, "qpdf --check: \(check.text) \(check.error)")
        #expect(try await written.pdf.pageCount() == written.document.pageCount)
        let text = try await written.pdf.text()
        let cer = characterErrorRate(text, truth: written.document.text)
        #expect(cer < 0.01, "pdftotext differs from the job's text: \(text)")
        let share = shareOfWordsOnTheirBoxes(written.document, try await written.pdf.wordBoxes(), uprightPages: true)
        #expect(share >= 0.95)
        report("\(name): \(written.document.pageCount) page(s), CER \(cer), words on their boxes \(share), "
               + "input \(written.inputSize) B, output \(written.outputSize) B")
        #expect(written.outputSize < written.inputSize * 3 + 20_000, "the PDF is bloated")
    }

    @Test("the PDF says the language its text was read in (/Lang)")
    func language() async throws {
        let written = try await Self.write("language-fr.png")
        defer { written.pdf.remove() }
        #expect(written.document.detectedLanguages == ["fr"])
        #expect(try await written.pdf.catalogLanguage() == "fr")
    }

    @Test("the page image is embedded at its own pixel size, a JPEG as it is, a 1-bit TIFF as CCITT")
    func nativeImages() async throws {
        for (name, width, height, encoding, bits) in [("phototest.png", 640, 480, "image", 8),
                                                      ("phototest.jpg", 640, 480, "jpeg", 8),
                                                      ("phototest-rotated-90.png", 640, 480, "image", 8),
                                                      ("phototest.webp", 640, 480, "image", 8),
                                                      ("letter-3pages.tif", 1400, 900, "ccitt", 1)] {
            let written = try await Self.write(name)
            defer { written.pdf.remove() }
            let images = try await written.pdf.images()
            #expect(images.count == written.document.pageCount, "\(name)")
            for image in images {
                #expect(image["width"] == "\(width)" && image["height"] == "\(height)", "\(name): \(image)")
                #expect(image["enc"] == encoding && image["bpc"] == "\(bits)", "\(name): \(image)")
                #expect(image["color"] == "gray", "\(name): \(image)")
            }
        }
    }

    @Test("a JPEG's bytes go in unchanged, so the PDF is barely larger than the file")
    func jpegAsIs() async throws {
        let written = try await Self.write("phototest.jpg")
        defer { written.pdf.remove() }
        #expect(written.outputSize < written.inputSize + 12_000)
        let pdf = try Data(contentsOf: written.pdf.url)
        #expect(pdf.range(of: try sample("phototest.jpg")) != nil, "the JPEG is not in the PDF byte for byte")
    }

    @Test("rendered, the page is the upright input: pixel for pixel at its resolution, roughly at 72 dpi", arguments: [
        ("phototest.png", "phototest.png"), ("phototest-rotated-90.png", "phototest.png"),
        ("phototest.jpg", "phototest.jpg"), ("phototest.gif", "phototest.png"),
    ])
    func rendering(name: String, upright: String) async throws {
        let written = try await Self.write(name)
        defer { written.pdf.remove() }
        let page = written.document.pages[0]
        let dpi = page.dpi > 0 ? page.dpi : 300
        let original = samples.appendingPathComponent(upright)
        // At the image's own resolution Cairo draws it as it is: a lossless page image must match exactly.
        let exact = try await RenderDifference.between(original: original, rendered: try await written.pdf.render(page: 1, dpi: dpi, with: "pdftocairo"))
        #expect(exact.sizes["rendered"] == [page.width, page.height])
        #expect(exact.meanAbsoluteDifference < 1, "\(name): \(exact)")
        // At 72 dpi (a screen), Poppler's smoothed rendering still shows the same page.
        let preview = try await written.pdf.render(page: 1, dpi: 72)
        let rough = try await RenderDifference.between(original: original, rendered: preview)
        #expect(rough.meanAbsoluteDifference < rough.blankDifference / 3, "\(name): \(rough)")
        report("\(name): at \(dpi) dpi (pdftocairo) mean difference \(exact.meanAbsoluteDifference); at 72 dpi (pdftoppm) "
               + "\(rough.sizes), mean difference \(rough.meanAbsoluteDifference) (a blank page: \(rough.blankDifference)), "
               + "black-and-white pixels differing \(rough.differingShare) (a blank page: \(rough.darkShare))")
        // Kept for a person to look at when asked to.
        if let keep = ProcessInfo.processInfo.environment["OCRCHAT_KEEP_RENDERING"] {
            let target = keep + "-" + name + ".png"
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: preview.path, toPath: target)
        }
    }

    @Test("the same document gives the same bytes")
    func deterministic() async throws {
        let input = try sample("phototest.png")
        let document = try await sharedEngine.recognize(input)
        let writer = try SearchablePDFWriter()
        #expect(try writer.write(document, source: input) == (try writer.write(document, source: input)))
    }
}
