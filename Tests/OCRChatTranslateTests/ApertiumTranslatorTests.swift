import Foundation
import OCRChatEngine
import OCRChatExport
import OCRChatModel
import OCRChatTranslate
import Testing

let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Samples")

/// Apertium and the pairs `make setup` installs (apertium-eng-spa, apertium-fr-es, apertium-es-pt).
@Suite("Translation with Apertium")
struct ApertiumTranslatorTests {
    let translator = ApertiumTranslator()

    @Test("the installed pairs are listed from Apertium's modes folder")
    func pairs() {
        let pairs = translator.availablePairs
        #expect(pairs.contains("eng-spa"))
        #expect(pairs.contains("fr-es"))
        #expect(pairs.contains("es-pt"))
        #expect(!pairs.contains { $0.hasPrefix("eco-") || $0.contains("_") })
    }

    @Test("ocrchat's language codes map to Apertium's pair names", arguments: [
        ("en", "es", "eng-spa"), ("eng", "spa", "eng-spa"), ("eng+deu", "es", "eng-spa"), ("es", "en", "spa-eng"),
        ("fra", "es", "fr-es"), ("fr", "spa", "fr-es"), ("spa", "pt", "es-pt"), ("pt", "es", "pt-es"),
    ])
    func pairNames(_ source: String, _ target: String, _ pair: String) throws {
        #expect(try translator.pair(from: source, to: target) == pair)
    }

    @Test("a pair that is not installed is an error naming the installed ones")
    func unavailablePair() {
        #expect {
            try translator.pair(from: "en", to: "de")
        } throws: { error in
            guard case let .pairUnavailable(_, _, available) = error as? TranslationError else { return false }
            return available.contains("eng-spa") && "\(error)".contains("eng-spa")
        }
        #expect(throws: TranslationError.self) { try translator.validate(source: "auto", target: "ja") }
        #expect(throws: Never.self) { try translator.validate(source: "auto", target: "es") }
    }

    @Test("an English page recognised and translated into Spanish keeps both texts; exports carry the translation")
    func englishPageToSpanish() async throws {
        let engine = try OCREngine(configuration: EngineConfiguration(workers: 1))
        let original = try await engine.recognize(contentsOf: samples.appendingPathComponent("phototest.png"),
                                                  options: RecognitionOptions(language: "en"))
        let document = try await translator.translate(original, to: "es")
        #expect(document.translatedTo == "es")
        #expect(document.text == original.text)  // the original is kept
        let translation = try #require(document.translation)
        // "This is a lot of 12 point text to test the ocr code…" / "The quick brown dog jumped over the lazy fox."
        #expect(translation.contains("texto"))
        #expect(translation.contains("perro"))
        #expect(!translation.contains("quick brown dog"))
        #expect(document.pages[0].blocks.allSatisfy { $0.translation?.isEmpty == false })

        let shown = document.presentingTranslation()
        let text = String(decoding: try PlainTextExporter().export(shown), as: UTF8.self)
        #expect(text.contains("perro") && !text.contains("quick brown dog"))
        let markdown = String(decoding: try MarkdownExporter().export(shown), as: UTF8.self)
        #expect(markdown.contains("perro"))
        let json = try JSONSerialization.jsonObject(with: JSONExporter().export(document)) as? [String: Any]
        #expect((json?["text"] as? String)?.contains("quick brown dog") == true)
        #expect((json?["translation"] as? String)?.contains("perro") == true)
        #expect(json?["translated_to"] as? String == "es")
    }

    @Test("text with no pair for its language stays as it is, with a warning")
    func pageWithoutPair() async throws {
        let page = Page(index: 0, width: 100, height: 20, dpi: 300, rotation: 0, source: .ocr, language: "deu", blocks: [
            Block(bbox: BoundingBox(x0: 0, y0: 0, x1: 100, y1: 20), confidence: 0.9, lines: [
                Line(bbox: BoundingBox(x0: 0, y0: 0, x1: 100, y1: 20), confidence: 0.9,
                     words: [Word(text: "Hallo", bbox: BoundingBox(x0: 0, y0: 0, x1: 100, y1: 20), confidence: 0.9)]),
            ]),
        ])
        let document = Document(pages: [page], requestedLanguage: "deu", tier: "cpu", engine: "test", sourceFormat: "png")
        let translated = try await translator.translate(document, to: "es")
        #expect(translated.pages[0].blocks[0].translation == nil)
        #expect(translated.warnings.count == 1)
        #expect(translated.warnings.first?.contains("eng-spa") == true)
    }
}
