import Foundation
import OCRChatModel
import Testing
@testable import OCRChatEngine

@Suite("Reading real files with Tesseract and Poppler")
struct RecognitionTests {
    @Test("the same page saved in every format gives the same text", arguments: [
        "phototest.png", "phototest.jpg", "phototest.webp", "phototest.gif", "phototest.bmp", "phototest.tif", "phototest.pdf",
    ])
    func everyFormat(name: String) async throws {
        let document = try await sharedEngine.recognize(sample(name))
        let truth = try truthPages("phototest.txt")[0]
        #expect(document.pageCount == 1)
        #expect(document.pages[0].source == .ocr)
        #expect(characterErrorRate(document.text, truth: truth) < 0.02, "\(name): \(document.text)")
        #expect(document.meanConfidence > 0.8)
    }

    @Test("every page of a multi-page CCITT G4 TIFF is read, in order")
    func multiPageTIFF() async throws {
        let document = try await sharedEngine.recognize(sample("letter-3pages.tif"))
        let truth = try truthPages("letter-3pages.txt")
        #expect(document.sourceFormat == "tiff")
        #expect(document.pages.map(\.index) == [0, 1, 2])
        for (page, expected) in zip(document.pages, truth) {
            #expect(characterErrorRate(page.text, truth: expected) < 0.03, "page \(page.index): \(page.text)")
            #expect(page.dpi == 300)
        }
    }

    @Test("a scanned PDF is rendered in memory and every page recognised")
    func scannedPDF() async throws {
        let document = try await sharedEngine.recognize(sample("scanned-2pages.pdf"))
        let truth = try truthPages("scanned-2pages.txt")
        #expect(document.pages.map(\.source) == [.ocr, .ocr])
        for (page, expected) in zip(document.pages, truth) {
            #expect(characterErrorRate(page.text, truth: expected) < 0.03, "page \(page.index): \(page.text)")
            #expect(page.dpi == 300)
            #expect(page.width == 1400 && page.height == 900)  // the scan's own pixels at 300 dpi
        }
    }

    @Test("a born-digital PDF is taken from its text layer, exactly, with word boxes")
    func bornDigitalPDF() async throws {
        let document = try await sharedEngine.recognize(sample("born-digital-2pages.pdf"))
        let truth = try truthPages("born-digital-2pages.txt")
        #expect(document.pages.map(\.source) == [.textLayer, .textLayer])
        #expect(document.pages.map { normalized($0.text) } == truth)
        #expect(document.meanConfidence == 1)
        let page = document.pages[0]
        #expect(page.width == 2550 && page.height == 3300 && page.dpi == 300)  // US Letter at 300 dpi
        // "Quarterly" is set at x = 72 pt, 1 inch from the left: 300 px.
        let first = try #require(page.words.first)
        #expect(first.text == "Quarterly")
        #expect(abs(first.bbox.x0 - 300) <= 2)
    }

    @Test("a text layer of mojibake is not trusted: the page is OCRed instead")
    func garbageTextLayer() async throws {
        let document = try await sharedEngine.recognize(sample("broken-text-layer.pdf"))
        let truth = try truthPages("broken-text-layer.txt")[0]
        #expect(document.pages[0].source == .ocr)
        #expect(characterErrorRate(document.text, truth: truth) < 0.03, "\(document.text)")
    }

    @Test("pages scanned sideways or upside down are read upright", arguments: [90, 180, 270])
    func rotatedPages(degrees: Int) async throws {
        let document = try await sharedEngine.recognize(sample("phototest-rotated-\(degrees).png"))
        let truth = try truthPages("phototest.txt")[0]
        let page = document.pages[0]
        #expect(characterErrorRate(page.text, truth: truth) < 0.02, "\(page.text)")
        if degrees == 180 {
            #expect(page.rotation == 180)
        }
        if page.rotation != 0 {
            // Turned upright: the page is as wide as the original again.
            #expect(page.width == 640 && page.height == 480)
        }
    }

    @Test("word boxes lie inside the page, lines run top to bottom, confidences are in 0…1")
    func boxesAndConfidences() async throws {
        let document = try await sharedEngine.recognize(sample("phototest.png"))
        let page = document.pages[0]
        #expect(page.width == 640 && page.height == 480)
        let lines = page.blocks.flatMap(\.lines)
        #expect(lines.count == 8)
        for line in lines {
            #expect(line.bbox.isInside(width: page.width, height: page.height))
            #expect((0...1).contains(line.confidence))
            for word in line.words {
                #expect(word.bbox.isInside(width: page.width, height: page.height))
                #expect(word.bbox.width > 0 && word.bbox.height > 0)
                #expect((0...1).contains(word.confidence))
                #expect(!word.text.isEmpty)
            }
            // Words in reading order: left to right.
            #expect(line.words.map(\.bbox.x0) == line.words.map(\.bbox.x0).sorted())
        }
        for block in page.blocks {
            #expect(block.lines.map(\.bbox.y0) == block.lines.map(\.bbox.y0).sorted())
        }
        #expect((0...1).contains(page.meanConfidence))
    }

    @Test("an encrypted PDF opens with its password and says so without it")
    func encryptedPDF() async throws {
        let data = try sample("encrypted-openpassword.pdf")
        await #expect(throws: EngineError.passwordRequired(wrongPasswordGiven: false)) {
            try await sharedEngine.recognize(data)
        }
        await #expect(throws: EngineError.passwordRequired(wrongPasswordGiven: true)) {
            try await sharedEngine.recognize(data, options: RecognitionOptions(password: "guess"))
        }
        let document = try await sharedEngine.recognize(data, options: RecognitionOptions(password: "openpassword"))
        #expect(document.text.contains("Lorem ipsum"))
    }

    @Test("an explicit language is used as asked, in either spelling")
    func explicitLanguage() async throws {
        for code in ["en", "eng", "EN"] {
            let document = try await sharedEngine.recognize(sample("phototest.png"), options: RecognitionOptions(language: code))
            #expect(document.pages[0].language == "eng")
            #expect(document.requestedLanguage == code)
        }
    }

    @Test("a language that is not installed names the installed ones; a made-up one is refused")
    func missingLanguages() async throws {
        let installed = sharedEngine.installedLanguages
        let missing = try #require(LanguageCodes.tesseractModels.sorted().first { !installed.contains($0) && $0 != "osd" })
        await #expect {
            try await sharedEngine.recognize(sample("phototest.png"), options: RecognitionOptions(language: missing))
        } throws: { error in
            guard case EngineError.languageNotInstalled(let language, let list) = error else { return false }
            return language == missing && list == installed && "\(error)".contains("apt-get install")
        }
        await #expect(throws: EngineError.unknownLanguage(code: "xx-klingon")) {
            try await sharedEngine.recognize(sample("phototest.png"), options: RecognitionOptions(language: "xx-klingon"))
        }
    }

    @Test("the vlm tier is accepted and the document says which engine profile really ran")
    func vlmTierIsHonest() async throws {
        let document = try await sharedEngine.recognize(sample("phototest.png"), options: RecognitionOptions(tier: .vlm))
        #expect(document.tier == "vlm")
        // The neural recogniser ran, and without a vision model configured the record says so.
        #expect(document.engine.hasPrefix("vlm: PP-OCRv6"))
        #expect(document.engine.contains("no vision model"))
    }

    @Test("progress is told after every page")
    func progress() async throws {
        let seen = ProgressLog()
        _ = try await sharedEngine.recognize(sample("letter-3pages.tif"), options: RecognitionOptions(progress: { done, total in
            seen.append(done, total)
        }))
        #expect(seen.entries.map(\.0) == [1, 2, 3])
        #expect(seen.entries.allSatisfy { $0.1 == 3 })
    }

    @Test("cancelling the task stops the work")
    func cancellation() async throws {
        let data = try sample("letter-3pages.tif")
        let task = Task { try await sharedEngine.recognize(data) }
        task.cancel()
        await #expect(throws: (any Error).self) { try await task.value }
    }
}

/// Collects progress calls from the engine's threads.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [(Int, Int)] = []

    func append(_ done: Int, _ total: Int) {
        lock.withLock { stored.append((done, total)) }
    }

    var entries: [(Int, Int)] { lock.withLock { stored } }
}
