import Foundation
import OCRChatEngine
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
