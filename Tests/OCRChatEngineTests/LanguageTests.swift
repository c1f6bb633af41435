import Foundation
import OCRChatModel
import Testing
@testable import OCRChatEngine

/// `language=auto` on pages rendered from text written for them (Samples/make-language-samples.py):
/// each is read as well as with its language named, and says what it was read with.
@Suite("Languages: codes, and auto reading each page in its own language")
struct LanguageTests {
    private static let installed = ModelLocator.standard()

    /// The page read under auto and with its language named, and the character error rate of each.
    private func readBothWays(_ name: String, named: String) async throws -> (auto: Document, autoError: Double, namedError: Double) {
        let truth = try truthPages(name.replacingOccurrences(of: ".png", with: ".txt"))[0]
        let auto = try await sharedEngine.recognize(sample(name))
        let named = try await sharedEngine.recognize(sample(name), options: RecognitionOptions(language: named))
        return (auto, characterErrorRate(auto.text, truth: truth), characterErrorRate(named.text, truth: truth))
    }

    @Test("a French, a German and a Spanish page are read under auto with their own model, as well as named",
          arguments: [("language-fr.png", "fra", "fr"), ("language-de.png", "deu", "de"), ("language-es.png", "spa", "es")])
    func latinPages(name: String, model: String, tag: String) async throws {
        let (document, autoError, namedError) = try await readBothWays(name, named: model)
        #expect(document.pages[0].language == model, "\(name): read with \(document.pages[0].language)")
        #expect(document.detectedLanguages == [tag])
        #expect(document.requestedLanguage == "auto")
        #expect(autoError <= namedError * 1.05 + 0.002, "\(name): auto \(autoError), named \(namedError)")
        #expect(autoError < 0.02, "\(name): \(document.text)")
    }

    @Test("a Russian printed line under auto is read with the Russian model")
    func russianLine() async throws {
        let (document, autoError, namedError) = try await readBothWays("language-ru-line.png", named: "ru")
        #expect(document.pages[0].language == "rus")
        #expect(document.detectedLanguages == ["ru"])
        #expect(autoError <= namedError * 1.05 + 0.002, "auto \(autoError), named \(namedError): \(document.text)")
    }

    @Test("a page half French, half German is read with both models")
    func mixedPage() async throws {
        let (document, autoError, namedError) = try await readBothWays("language-fr-de.png", named: "fra+deu")
        let models = Set(document.pages[0].language.split(separator: "+").map(String.init))
        #expect(models == ["fra", "deu"], "read with \(document.pages[0].language)")
        #expect(Set(document.detectedLanguages) == ["fr", "de"])
        #expect(autoError <= namedError * 1.05 + 0.002, "auto \(autoError), named \(namedError): \(document.text)")
        #expect(autoError < 0.02)
    }

    @Test("the pages of one document may differ: a French page, then a German one, each read with its own model")
    func pagesDiffer() async throws {
        let truth = try truthPages("language-fr-then-de.txt")
        let document = try await sharedEngine.recognize(sample("language-fr-then-de.tif"))
        #expect(document.pages.map(\.language) == ["fra", "deu"])
        #expect(Set(document.detectedLanguages) == ["fr", "de"])
        for (page, truth) in zip(document.pages, truth) {
            #expect(characterErrorRate(page.text, truth: truth) < 0.02, "page \(page.index + 1): \(page.text)")
        }
    }

    @Test("a bilingual document: its half-French, half-German pages are read with both models, its French page as well")
    func bilingualDocument() async throws {
        let truth = try truthPages("language-bilingual-3pages.txt")
        let document = try await sharedEngine.recognize(sample("language-bilingual-3pages.tif"))
        let models = document.pages.map { Set($0.language.split(separator: "+").map(String.init)) }
        #expect(models.count == 3)
        #expect(models.prefix(2).allSatisfy { $0 == ["fra", "deu"] }, "read with \(document.pages.map(\.language))")
        #expect(models.last?.contains("fra") == true, "read with \(document.pages.map(\.language))")
        for (page, truth) in zip(document.pages, truth) {
            #expect(characterErrorRate(page.text, truth: truth) < 0.02, "page \(page.index + 1): \(page.text)")
        }
    }

    @Test("a reading in a script without spaces is not doubted for want of dictionary words; a Latin one is")
    func unspacedScripts() {
        func reading(_ language: String) -> Reading {
            let words = (0..<12).map { Word(text: "字字字", bbox: BoundingBox(x0: $0 * 40, y0: 0, x1: $0 * 40 + 30, y1: 30), confidence: 0.9) }
            let line = Line(bbox: BoundingBox(x0: 0, y0: 0, x1: 470, y1: 30), confidence: 0.9, words: words)
            let page = Page(index: 0, width: 500, height: 40, dpi: 300, rotation: 0, source: .ocr, language: language,
                            blocks: [Block(bbox: line.bbox, confidence: 0.9, lines: [line])])
            return Reading(page: page, dictionaryWordShare: 0, longWords: 12, level: nil)
        }
        #expect(!reading("chi_sim").isDoubtful)
        #expect(!reading("jpn+eng").isDoubtful)
        #expect(reading("eng").isDoubtful)
        #expect(reading("fra").isDoubtful)
    }

    @Test("a Portuguese page is read with its model, or without it with the closest installed one, and says which")
    func closestInstalledModel() async throws {
        let expected = try #require(LanguageCodes.readingModel(for: "por", installed: Self.installed.isInstalled),
                                    "make setup installs Spanish, the closest of its models to Portuguese")
        let (document, autoError, defaultError) = try await readBothWays("language-pt.png", named: "eng")
        #expect(document.pages[0].language == expected, "read with \(document.pages[0].language)")
        // Better than the default model, which is what such a page was read with before.
        #expect(autoError < defaultError, "auto (\(expected)) \(autoError), eng \(defaultError): \(document.text)")
    }

    @Test("a language without an installed model falls back to its script's model, then its closest relative")
    func fallbackOrder() {
        func model(_ language: String, _ installed: Set<String>) -> String? {
            LanguageCodes.readingModel(for: language, installed: installed.contains)
        }
        #expect(model("por", ["eng", "spa", "fra"]) == "spa")
        #expect(model("por", ["eng", "spa", "Latin"]) == "Latin")
        #expect(model("por", ["eng", "por", "Latin"]) == "por")
        #expect(model("ukr", ["eng", "rus"]) == "rus")
        #expect(model("nld", ["eng", "deu"]) == "deu")
        #expect(model("tha", ["eng", "rus"]) == nil, "nothing close: read with the default")
        let portuguese = IdentifiedLanguages(shares: [.init(model: "por", percent: 97)], isReliable: true)
        #expect(portuguese.tesseractLanguage(installed: ["eng", "spa"].contains) == "spa")
        #expect(portuguese.tesseractLanguage(installed: ["eng"].contains) == nil)
        let mixed = IdentifiedLanguages(shares: [.init(model: "por", percent: 70), .init(model: "eng", percent: 30)], isReliable: true)
        #expect(mixed.tesseractLanguage(installed: ["eng", "spa"].contains) == "spa+eng")
    }

    @Test("a Japanese page under auto is read with the Japanese model",
          .enabled(if: installed.isInstalled("jpn"), "the Japanese model is not installed (make setup LANGUAGES=jpn)"))
    func japanesePage() async throws {
        let (document, autoError, namedError) = try await readBothWays("language-ja.png", named: "ja")
        #expect(document.pages[0].language == "jpn")
        #expect(document.detectedLanguages == ["ja"])
        #expect(autoError <= namedError * 1.05 + 0.005, "auto \(autoError), named \(namedError): \(document.text)")
    }

    @Test("a Hindi page under auto is read with the Hindi model",
          .enabled(if: installed.isInstalled("hin"), "the Hindi model is not installed (make setup LANGUAGES=hin)"))
    func hindiPage() async throws {
        let (document, autoError, namedError) = try await readBothWays("language-hi.png", named: "hi")
        #expect(document.pages[0].language == "hin")
        #expect(document.detectedLanguages == ["hi"])
        #expect(autoError <= namedError * 1.05 + 0.005, "auto \(autoError), named \(namedError): \(document.text)")
    }

    @Test("an English page stays English and a born-digital page says the language of its text layer")
    func englishAndTextLayer() async throws {
        let scan = try await sharedEngine.recognize(sample("phototest.png"))
        #expect(scan.pages[0].language == "eng")
        #expect(scan.detectedLanguages == ["en"])
        let born = try await sharedEngine.recognize(sample("born-digital-2pages.pdf"))
        #expect(born.pages.allSatisfy { $0.source == .textLayer && $0.language == "eng" })
        #expect(born.detectedLanguages == ["en"])
    }

    @Test("every code of a language names its model: ISO 639-1, 639-2/3, Tesseract's name, a script", arguments: [
        ("ja", "jpn"), ("jpn", "jpn"), ("ko", "kor"), ("kor", "kor"), ("hi", "hin"), ("uk", "ukr"), ("pt", "por"),
        ("zh-tw", "chi_tra"), ("zh-TW", "chi_tra"), ("chi_tra", "chi_tra"), ("ch", "chi_sim"), ("zho", "chi_sim"),
        ("ger", "deu"), ("fre", "fra"), ("de", "deu"), ("deu+eng", "deu+eng"), ("fr, en", "fra+eng"), ("iw", "heb"),
        ("Latin", "Latin"), ("latin", "Latin"), ("script/Cyrillic", "Cyrillic"), ("lao", "lao"), ("Lao", "Lao"),
        ("sr-Latn", "srp_latn"), ("nb", "nor"),
    ])
    func codes(code: String, model: String) throws {
        #expect(try LanguageCodes.tesseractLanguage(for: code) == model)
    }

    @Test("all 123 language and 37 script models are known, each with its Debian package")
    func catalog() {
        #expect(LanguageCatalog.languages.count == 123)
        #expect(LanguageCatalog.scripts.count == 37)
        #expect(LanguageCodes.debianPackage(for: "chi_sim") == "tesseract-ocr-chi-sim")
        #expect(LanguageCodes.debianPackage(for: "Latin") == "tesseract-ocr-script-latn")
        #expect(LanguageCatalog.tags(of: "chi_tra+eng") == ["zh-Hant", "en"])
    }

    @Test("an unknown code is refused as unknown; a real model that is missing names its Debian package")
    func refusals() throws {
        for code in ["zz", "xx-klingon", "klingon"] {
            #expect(throws: EngineError.self) {
                let model = try LanguageCodes.tesseractLanguage(for: code)
                try Self.installed.requireInstalled(try #require(model))
            }
        }
        #expect(throws: EngineError.unknownLanguage(code: "zz")) { try LanguageCodes.tesseractLanguage(for: "zz") }
        let missing = try #require(LanguageCatalog.languages.first { !Self.installed.isInstalled($0.model) })
        #expect {
            try Self.installed.requireInstalled(missing.model)
        } throws: { error in
            "\(error)".contains("apt-get install \(missing.debianPackage)")
        }
    }

    @Test("language identification: a clear paragraph is reliable, a few characters are not")
    func identification() throws {
        let french = try #require(LanguageIdentifier.identify("Le conseil municipal s'est réuni jeudi soir pour examiner le budget de l'année prochaine."))
        #expect(french.isReliable && french.shares.first?.model == "fra")
        #expect(LanguageIdentifier.identify("12 34")?.isReliable != true)
    }
}
