import Foundation
@testable import OCRChatEngine
import OCRChatModel
import OCRChatNeural
import Testing

/// The vlm tier reads with the real PP-OCR models from the rapidocr wheel on the real ONNX Runtime
/// (both installed by `make setup`), beside real Tesseract.
@Suite("The vlm tier's neural recogniser")
struct NeuralTierTests {
    @Test("a clean page reads at least as well as on cpu, every word boxed and scored, and the page says what read it")
    func cleanPageNeverWorse() async throws {
        let truth = try truthPages("phototest.txt")[0]
        let cpu = try await sharedEngine.recognize(sample("phototest.png"), options: RecognitionOptions(language: "eng"))
        let vlm = try await sharedEngine.recognize(sample("phototest.png"), options: RecognitionOptions(language: "eng", tier: .vlm))
        #expect(characterErrorRate(vlm.text, truth: truth) <= characterErrorRate(cpu.text, truth: truth))
        #expect(vlm.tier == "vlm")
        #expect(vlm.engine.hasPrefix("vlm: PP-OCRv6"))
        #expect(vlm.warnings.isEmpty, "\(vlm.warnings)")
        let page = vlm.pages[0]
        #expect(page.engine?.hasPrefix("vlm: PP-OCRv6 on ") == true, "\(page.engine ?? "")")
        #expect(cpu.pages[0].engine == nil)
        for word in page.words {
            #expect(word.bbox.isInside(width: page.width, height: page.height))
            #expect(word.bbox.width > 0 && word.bbox.height > 0, "\(word)")
            #expect((0...1).contains(word.confidence))
        }
        // The neural reading of every line boxes each word where Tesseract puts the same word
        // (the exports and the searchable PDF line up with the page as well as on cpu).
        let reader = try NeuralReader.load().get()
        let neural = try reader.read(PixImage.decode(sample("phototest.png"), format: .png).raster())
        #expect(characterErrorRate(neural.map(\.text).joined(separator: "\n"), truth: truth) < 0.03)
        var compared = 0
        for word in neural.flatMap(\.words) where word.text.count >= 5 {
            // The same word where Tesseract read it: the nearest of that spelling (words repeat).
            func centre(_ box: BoundingBox) -> (Double, Double) { (Double(box.x0 + box.x1) / 2, Double(box.y0 + box.y1) / 2) }
            let (x, y) = centre(word.bbox)
            guard let box = cpu.pages[0].words.filter({ $0.text == word.text }).map(\.bbox).min(by: { a, b in
                let (ax, ay) = centre(a), (bx, by) = centre(b)
                return (ax - x) * (ax - x) + (ay - y) * (ay - y) < (bx - x) * (bx - x) + (by - y) * (by - y)
            }) else { continue }
            compared += 1
            #expect(abs(box.x0 - word.bbox.x0) <= 12 && abs(box.x1 - word.bbox.x1) <= 12, "\(word.text): \(box) vs \(word.bbox)")
            #expect(abs((box.y0 + box.y1) / 2 - (word.bbox.y0 + word.bbox.y1) / 2) <= 8, "\(word.text): \(box) vs \(word.bbox)")
        }
        #expect(compared >= 10)
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
        let page = vlm.pages[0]
        for word in page.words { #expect(word.bbox.isInside(width: page.width, height: page.height)) }
        #expect(page.engine?.contains("PP-OCRv6") == true)
    }

    @Test("a page turned upside down is turned back on the vlm tier too")
    func rotatedPage() async throws {
        let truth = try truthPages("phototest.txt")[0]
        let vlm = try await sharedEngine.recognize(sample("phototest-rotated-180.png"), options: RecognitionOptions(tier: .vlm))
        #expect(vlm.pages[0].rotation == 180)
        #expect(characterErrorRate(vlm.text, truth: truth) < 0.05)
    }

    @Test("on a page of English and Russian lines, the Russian lines keep Tesseract's reading and the English ones take the neural one")
    func mixedScripts() async throws {
        let truth = try truthPages("mixed-scripts.txt")[0]
        let vlm = try await sharedEngine.recognize(sample("mixed-scripts.png"), options: RecognitionOptions(language: "eng+rus", tier: .vlm))
        let cpu = try await sharedEngine.recognize(sample("mixed-scripts.png"), options: RecognitionOptions(language: "eng+rus"))
        let engine = try #require(vlm.pages[0].engine)
        #expect(engine.contains("PP-OCRv6 on ") && !engine.contains("tesseract-lstm on 0"), "\(engine)")
        #expect(vlm.text.contains("Санкт-Петербург"), "\(vlm.text)")
        #expect(vlm.text.contains("thousands of euros"))
        #expect(characterErrorRate(vlm.text, truth: truth) <= characterErrorRate(cpu.text, truth: truth) + 0.01)
    }

    @Test("a page in a script the neural model does not read is Tesseract's reading, at no extra cost")
    func foreignScriptPage() async throws {
        let page = try await sharedEngine.recognize(sample("mixed-scripts.png"), options: RecognitionOptions(language: "rus", tier: .vlm))
        #expect(page.pages[0].engine?.contains("does not read") == true || page.pages[0].engine?.contains("tesseract-lstm on") == true)
    }

    @Test("without the models or the runtime the vlm tier is Tesseract's reading with a warning, never a crash or an empty page", arguments: [
        "missing folder", "wrong checksum", "missing library",
    ])
    func fallsBack(_ fault: String) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-neural-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var locator = NeuralModelLocator()
        switch fault {
        case "missing folder":
            locator.modelsDirectory = folder.appendingPathComponent("absent").path
        case "wrong checksum":
            for file in [NeuralModelLocator.detectionModel, NeuralModelLocator.recognitionModel, NeuralModelLocator.classifierModel] {
                try Data("not a model".utf8).write(to: folder.appendingPathComponent(file.name))
            }
            locator.modelsDirectory = folder.path
        default:
            locator.libraryPath = folder.appendingPathComponent("libonnxruntime.so.1.0").path
        }
        let engine = try OCREngine(configuration: EngineConfiguration(workers: 1, neuralModels: locator))
        let document = try await engine.recognize(sample("phototest.png"), options: RecognitionOptions(language: "eng", tier: .vlm))
        #expect(document.text.contains("quick brown dog"))
        let warning = try #require(document.warnings.first)
        #expect(warning.contains("neural recogniser is unavailable"), "\(warning)")
        switch fault {
        case "missing folder": #expect(warning.contains("not found"), "\(warning)")
        case "wrong checksum": #expect(warning.contains("SHA-256"), "\(warning)")
        default: #expect(warning.contains("ONNX Runtime is not available"), "\(warning)")
        }
        #expect(document.pages[0].engine?.contains("unavailable") == true)
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
