import Foundation
import OCRChatModel
@testable import OCRChatTranslate
import Synchronization
import Testing

/// The local model's side of translation, with the model replaced by a closure (the HTTP client is
/// tested with a real stub endpoint in the server's tests).
@Suite("Translation with a local language model")
struct ModelTranslatorTests {
    /// Records what the model was asked and answers with `reply(user message)`.
    final class FakeModel: Sendable {
        let asked = Mutex<[(system: String, user: String)]>([])
        let reply: @Sendable (String) throws -> String
        init(reply: @escaping @Sendable (String) throws -> String) { self.reply = reply }
        var translator: ModelTranslator {
            ModelTranslator(name: "fake") { system, user in
                self.asked.withLock { $0.append((system, user)) }
                return try self.reply(user)
            }
        }
    }

    private func page(_ paragraphs: [String], language: String) -> Page {
        let blocks = paragraphs.enumerated().map { index, text in
            let box = BoundingBox(x0: 0, y0: index * 30, x1: 100, y1: index * 30 + 20)
            let words = text.split(separator: " ").map { Word(text: String($0), bbox: box, confidence: 0.9) }
            return Block(bbox: box, confidence: 0.9, lines: [Line(bbox: box, confidence: 0.9, words: words)])
        }
        return Page(index: 0, width: 100, height: 100, dpi: 300, rotation: 0, source: .ocr, language: language, blocks: blocks)
    }

    @Test("a page is one request of numbered paragraphs; the reply is split back at the markers")
    func onePagePerRequest() async throws {
        let model = FakeModel { _ in "[[1]]\nErster Absatz.\n\n[[2]]\nZweiter Absatz, 1.250,00 EUR." }
        let translated = try await model.translator.translateParagraphs(
            ["First paragraph.", "Second paragraph, 1,250.00 EUR."], from: "eng", to: "de")
        #expect(translated == ["Erster Absatz.", "Zweiter Absatz, 1.250,00 EUR."])
        let asked = model.asked.withLock { $0 }
        #expect(asked.count == 1)
        #expect(asked[0].user == "[[1]]\nFirst paragraph.\n\n[[2]]\nSecond paragraph, 1,250.00 EUR.")
        #expect(asked[0].system.contains("from English into German"))
        #expect(asked[0].system.contains("Keep numbers, amounts"))
    }

    @Test("a reply that does not split into every paragraph is redone paragraph by paragraph")
    func paragraphByParagraph() async throws {
        let model = FakeModel { user in
            user.contains("[[2]]") ? "Erster und zweiter Absatz zusammen." : "[[1]]\n" + (user.contains("First") ? "Erster." : "Zweiter.")
        }
        let translated = try await model.translator.translateParagraphs(["First.", "", "Second."], from: "en", to: "deu")
        #expect(translated == ["Erster.", "", "Zweiter."])
        #expect(model.asked.withLock { $0.count } == 3)
    }

    @Test("a model that fails makes a clear translation error naming it")
    func failure() async throws {
        struct Down: Error {}
        let model = FakeModel { _ in throw Down() }
        await #expect(throws: TranslationError.self) {
            _ = try await model.translator.translateParagraphs(["First."], from: "en", to: "de")
        }
        do {
            _ = try await model.translator.translateParagraphs(["First."], from: "en", to: "de")
        } catch let error as TranslationError {
            #expect(error.description.hasPrefix("the local model fake did not translate"))
        }
    }

    @Test("Apertium translates the pairs it has; the model only the others, and the job says so")
    func apertiumFirst() async throws {
        let model = FakeModel { _ in "[[1]]\nDer schnelle braune Hund." }
        let translator = DocumentTranslator(model: model.translator)
        // English → Spanish is an installed Apertium pair: the model is not asked.
        let english = Document(pages: [page(["The quick brown dog."], language: "eng")], requestedLanguage: "en",
                               tier: "cpu", engine: "test", sourceFormat: "png")
        let spanish = try await translator.translate(english, to: "es")
        #expect(spanish.pages[0].blocks[0].translation?.contains("perro") == true)
        #expect(model.asked.withLock { $0.isEmpty })
        #expect(spanish.warnings.isEmpty)
        // English → German has no Apertium pair: the model translates, and a warning says by what.
        let german = try await translator.translate(english, to: "de")
        #expect(german.pages[0].blocks[0].translation == "Der schnelle braune Hund.")
        #expect(german.translatedTo == "de")
        #expect(german.warnings.count == 1)
        #expect(german.warnings[0].contains("local model fake"))
    }

    @Test("a pair neither can do is refused up front; with a model any known pair is accepted")
    func validation() throws {
        #expect(throws: TranslationError.self) { try DocumentTranslator().validate(source: "en", target: "de") }
        let withModel = DocumentTranslator(model: FakeModel { _ in "" }.translator)
        try withModel.validate(source: "en", target: "de")
        try withModel.validate(source: "auto", target: "ja")
        #expect(throws: TranslationError.unknownLanguage("klingon")) { try withModel.validate(source: "en", target: "klingon") }
        let refusal = TranslationError.pairUnavailable(from: "en", to: "de", available: ["eng-spa"]).description
        #expect(refusal.contains("eng-spa") && refusal.contains("--llm-url"))
    }
}
