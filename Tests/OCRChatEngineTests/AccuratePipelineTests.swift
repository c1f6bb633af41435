import Foundation
@testable import OCRChatEngine
import OCRChatModel
import Testing

@Suite("The vlm tier's accurate pipeline")
struct AccuratePipelineTests {
    @Test("a clean page reads as well as on cpu, and the page records the pipeline that read it")
    func cleanPageNeverWorse() async throws {
        let truth = try truthPages("phototest.txt")[0]
        let cpu = try await sharedEngine.recognize(sample("phototest.png"), options: RecognitionOptions(language: "eng"))
        let vlm = try await sharedEngine.recognize(sample("phototest.png"), options: RecognitionOptions(language: "eng", tier: .vlm))
        #expect(characterErrorRate(vlm.text, truth: truth) <= characterErrorRate(cpu.text, truth: truth))
        #expect(vlm.tier == "vlm")
        #expect(vlm.engine.hasPrefix("vlm: accurate pipeline"))
        #expect(vlm.pages[0].engine?.hasPrefix("vlm: accurate pipeline") == true)
        #expect(cpu.pages[0].engine == nil)
    }

    @Test("poor scans (60 dpi, half the page in shadow) read clearly better than on cpu", arguments: [
        "phototest-60dpi.png", "phototest-shadow.png",
    ])
    func poorScansImprove(_ name: String) async throws {
        let truth = try truthPages("phototest.txt")[0]
        let cpu = try await sharedEngine.recognize(sample(name), options: RecognitionOptions(language: "eng"))
        let vlm = try await sharedEngine.recognize(sample(name), options: RecognitionOptions(language: "eng", tier: .vlm))
        // Words found, order aside: the shadow splits the page in two columns for Tesseract's layout
        // analysis, so the reading order (and with it the CER) is the layout's business, not this one's.
        let cpuError = wordError(cpu.text, truth: truth)
        let vlmError = wordError(vlm.text, truth: truth)
        #expect(vlmError < cpuError * 0.6, "cpu \(cpuError), vlm \(vlmError)")
        if name == "phototest-60dpi.png" {
            #expect(characterErrorRate(vlm.text, truth: truth) < characterErrorRate(cpu.text, truth: truth) * 0.6)
        }
        // Boxes stay in the pixels of the image that was sent, whatever was enlarged or turned.
        let page = vlm.pages[0]
        for word in page.words {
            #expect(word.bbox.x0 >= 0 && word.bbox.x1 <= page.width && word.bbox.y0 >= 0 && word.bbox.y1 <= page.height)
        }
        #expect(page.engine?.contains("accurate pipeline") == true)
    }

    @Test("a page turned upside down is turned back on the vlm tier too")
    func rotatedPage() async throws {
        let truth = try truthPages("phototest.txt")[0]
        let vlm = try await sharedEngine.recognize(sample("phototest-rotated-180.png"), options: RecognitionOptions(tier: .vlm))
        #expect(vlm.pages[0].rotation == 180)
        #expect(characterErrorRate(vlm.text, truth: truth) < 0.05)
    }

    @Test("a scanner's black border is found and removed; shadows, clean and faded pages are not taken for one")
    func scannerBorder() async throws {
        let bordered = try PixImage.decode(sample("phototest-bordered.png"), format: .png)
        let cleared = try #require(try bordered.bordersCleared())
        // The band along the left edge is paper now; the text in the middle is untouched.
        #expect(try meanGray(cleared, x: 0, y: 200, width: 30, height: 200) > 240)
        #expect(try meanGray(bordered, x: 0, y: 200, width: 30, height: 200) < 60)
        #expect(try meanGray(cleared, x: 150, y: 150, width: 400, height: 250)
                == meanGray(bordered, x: 150, y: 150, width: 400, height: 250))
        for name in ["phototest.png", "phototest-shadow.png", "phototest-60dpi.png", "phototest-smudged.png"] {
            #expect(try PixImage.decode(sample(name), format: .png).bordersCleared() == nil, "\(name)")
        }

        // On the vlm tier the page is read without its border, and no worse than on cpu.
        let truth = try truthPages("phototest.txt")[0]
        let cpu = try await sharedEngine.recognize(sample("phototest-bordered.png"), options: RecognitionOptions(language: "eng"))
        let vlm = try await sharedEngine.recognize(sample("phototest-bordered.png"), options: RecognitionOptions(language: "eng", tier: .vlm))
        #expect(vlm.pages[0].engine?.contains("scanner border removed") == true, "\(vlm.pages[0].engine ?? "")")
        #expect(characterErrorRate(vlm.text, truth: truth) <= characterErrorRate(cpu.text, truth: truth))
        #expect(characterErrorRate(vlm.text, truth: truth) < 0.02)
    }

    @Test("a threshold variant that scores a little higher does not replace the gray reading of an evenly lit page")
    func variantsNeedAMargin() {
        func candidate(_ label: String?, confidence: Double, dictionaryWords: Int, first: Bool = false) -> Candidate {
            let words = (0..<50).map { Word(text: "word\($0)", bbox: BoundingBox(x0: 0, y0: 0, x1: 10, y1: 10), confidence: confidence) }
            let page = Page(index: 0, width: 100, height: 100, dpi: 300, rotation: 0, source: .ocr, language: "eng",
                            blocks: [Block(bbox: BoundingBox(x0: 0, y0: 0, x1: 10, y1: 10), confidence: confidence,
                                           lines: [Line(bbox: BoundingBox(x0: 0, y0: 0, x1: 10, y1: 10), confidence: confidence, words: words)])])
            return Candidate(page: page, image: try! PixImage.decode(sample("phototest-60dpi.png"), format: .png), scale: 1, skew: 0,
                             settings: .standard, label: label, dictionaryShare: Double(dictionaryWords) / 50, longWords: 50,
                             isFirstReading: first)
        }
        let cpu = candidate(nil, confidence: 0.80, dictionaryWords: 40, first: true)
        // A little more confident, one more dictionary word: noise on an evenly lit page.
        let slightly = candidate("background normalised", confidence: 0.83, dictionaryWords: 41)
        #expect(AccurateRecognizer.choose([cpu, slightly], evenLighting: true).isFirstReading)
        // Under a shadow the same gain counts.
        #expect(AccurateRecognizer.choose([cpu, slightly], evenLighting: false).label == "background normalised")
        // Clearly more confident but fewer dictionary words: a threshold that broke strokes.
        let fewerWords = candidate("Sauvola threshold", confidence: 0.90, dictionaryWords: 35)
        #expect(AccurateRecognizer.choose([cpu, fewerWords], evenLighting: true).isFirstReading)
        // Clearly better on both: it wins.
        let better = candidate("despeckled", confidence: 0.90, dictionaryWords: 46)
        #expect(AccurateRecognizer.choose([cpu, fewerWords, better], evenLighting: true).label == "despeckled")
        // The enlarged page's gray reading replaces the first one when no worse, not when a little lower.
        let enlarged = candidate(nil, confidence: 0.80, dictionaryWords: 40)
        #expect(!AccurateRecognizer.choose([cpu, enlarged], evenLighting: true).isFirstReading)
        let blurred = candidate(nil, confidence: 0.795, dictionaryWords: 41)
        #expect(AccurateRecognizer.choose([cpu, blurred], evenLighting: true).isFirstReading)
        let fewerDictionaryWords = candidate(nil, confidence: 0.85, dictionaryWords: 38)
        #expect(AccurateRecognizer.choose([cpu, fewerDictionaryWords], evenLighting: true).isFirstReading)
    }

    @Test("handwriting-to-text without a vision model warns and still gives the printed-text reading")
    func handwritingWithoutVisionModel() async throws {
        let document = try await sharedEngine.recognize(sample("phototest.png"),
                                                        options: RecognitionOptions(tool: .handwritingToText))
        #expect(document.tier == "vlm")
        #expect(document.warnings == [OCREngine.handwritingWithoutVisionModel])
        #expect(document.text.contains("quick brown dog"))
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(document)) as? [String: Any]
        #expect((json?["warnings"] as? [String])?.first?.contains("vision model") == true)
    }
}

/// The mean gray level of a rectangle of an image.
func meanGray(_ image: PixImage, x: Int, y: Int, width: Int, height: Int) throws -> Double {
    try image.grayscale().cropped(to: (x, y, x + width, y + height), margin: 0).image.meanGray()
}

/// Share of the truth's words missing from the reading (as a multiset: order ignored).
func wordError(_ recognised: String, truth: String) -> Double {
    var found: [Substring: Int] = [:]
    for word in recognised.split(whereSeparator: \.isWhitespace) { found[word, default: 0] += 1 }
    let words = truth.split(whereSeparator: \.isWhitespace)
    var missing = 0
    for word in words {
        if let count = found[word], count > 0 { found[word] = count - 1 } else { missing += 1 }
    }
    return Double(missing) / Double(max(words.count, 1))
}
