import Foundation
import OCRChatModel

/// Language codes as callers write them, for every model Tesseract publishes: ISO 639-1 (`ja`),
/// ISO 639-2/3 (`jpn`, `ger`, `zho`), Tesseract's own names (`chi_sim`, `deu+eng`), the short codes
/// of the public API (`ch` = simplified Chinese, `zh-tw` = traditional), and script models by name
/// (`Latin`, `Cyrillic`, `script/Latin`).
public enum LanguageCodes {
    /// Codes that are neither ISO codes nor model names but that the public API and CLD2 use.
    static let aliases: [String: String] = [
        "ch": "chi_sim", "zh-cn": "chi_sim", "zh-hans": "chi_sim", "zh-sg": "chi_sim",
        "zh-tw": "chi_tra", "zh-hant": "chi_tra", "zh-hk": "chi_tra", "iw": "heb", "jw": "jav", "tl": "fil",
        "nb": "nor", "nn": "nor", "sr-latn": "srp_latn", "sr-me": "srp", "az-cyrl": "aze_cyrl", "uz-cyrl": "uzb_cyrl",
    ]

    /// Every lower-cased code that names a language model, mapped to the model's name.
    static let languageCodes: [String: String] = {
        var codes = aliases
        for language in LanguageCatalog.languages {
            codes[language.model] = language.model
            if let iso = language.iso6391 { codes[iso] = language.model }
            for code in language.otherCodes where codes[code] == nil { codes[code] = language.model }
        }
        return codes
    }()

    /// Script models by lower-cased name (`latin` → `Latin`).
    static let scriptNames: [String: String] = Dictionary(
        uniqueKeysWithValues: LanguageCatalog.scripts.map { ($0.model.lowercased(), $0.model) })

    /// Every model name Tesseract publishes, so that a real but missing model is told apart from a typo.
    static let tesseractModels: Set<String> = Set(LanguageCatalog.languages.map(\.model))
        .union(LanguageCatalog.scripts.map(\.model)).union(["osd"])

    /// The models to try, best first, for a script that orientation detection names; the script's
    /// own model (`Cyrillic`) comes last, for when no language of it is installed.
    static let modelsForScript: [String: [String]] = [
        "Cyrillic": ["rus", "ukr", "bul", "srp", "bel", "mkd", "Cyrillic"],
        "Arabic": ["ara", "fas", "urd", "Arabic"],
        "Han": ["chi_sim", "chi_tra", "jpn", "HanS", "HanT"],
        "Japanese": ["jpn", "Japanese"], "Katakana": ["jpn", "Japanese"], "Hiragana": ["jpn", "Japanese"],
        "Hangul": ["kor", "Hangul"], "Korean": ["kor", "Hangul"],
        "Greek": ["ell", "grc", "Greek"], "Hebrew": ["heb", "yid", "Hebrew"],
        "Devanagari": ["hin", "mar", "nep", "san", "Devanagari"],
        "Thai": ["tha", "Thai"], "Bengali": ["ben", "asm", "Bengali"], "Tamil": ["tam", "Tamil"],
        "Telugu": ["tel", "Telugu"], "Kannada": ["kan", "Kannada"], "Malayalam": ["mal", "Malayalam"],
        "Gujarati": ["guj", "Gujarati"], "Gurmukhi": ["pan", "Gurmukhi"], "Georgian": ["kat", "Georgian"],
        "Armenian": ["hye", "Armenian"], "Ethiopic": ["amh", "tir", "Ethiopic"], "Khmer": ["khm", "Khmer"],
        "Lao": ["lao", "Lao"], "Myanmar": ["mya", "Myanmar"], "Sinhala": ["sin", "Sinhala"],
        "Tibetan": ["bod", "Tibetan"], "Oriya": ["ori", "Oriya"], "Syriac": ["syr", "Syriac"],
        "Thaana": ["div", "Thaana"], "Cherokee": ["chr", "Cherokee"], "Canadian_Aboriginal": ["iku", "Canadian_Aboriginal"],
    ]

    /// Models of scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer,
    /// Burmese, Tibetan): what Tesseract calls a word there is a run of characters, which its word
    /// list seldom holds, so a share of dictionary words says nothing of such a reading.
    static let unspacedModels: Set<String> = [
        "chi_sim", "chi_sim_vert", "chi_tra", "chi_tra_vert", "jpn", "jpn_vert", "tha", "lao", "khm", "mya", "bod", "dzo",
        "HanS", "HanS_vert", "HanT", "HanT_vert", "Japanese", "Japanese_vert", "Thai", "Lao", "Khmer", "Myanmar", "Tibetan",
    ]

    /// Whether `tesseractLanguage` (`chi_sim`, `jpn+eng`) reads mainly a script without spaces.
    static func readsUnspacedScript(_ tesseractLanguage: String) -> Bool {
        tesseractLanguage.split(separator: "+").first.map { unspacedModels.contains(String($0)) } ?? false
    }

    /// What reads a language best when its own model is not installed, best first: its script's
    /// model (which knows every letter of the script, but no word list), then the installed
    /// languages closest to it (the same family and the same letters: Portuguese after Galician and
    /// Spanish, Ukrainian after Russian). A language not listed here is read with the default.
    static let closestModels: [String: [String]] = [
        // Romance
        "por": ["Latin", "glg", "spa", "cat", "ita", "fra"], "glg": ["Latin", "por", "spa", "cat"],
        "spa": ["Latin", "glg", "cat", "por", "ita"], "cat": ["Latin", "oci", "spa", "fra", "ita"],
        "oci": ["Latin", "cat", "fra", "spa"], "ita": ["Latin", "spa", "fra", "cat", "por"],
        "fra": ["Latin", "cat", "ita", "spa"], "ron": ["Latin", "ita", "fra", "spa"], "cos": ["Latin", "ita", "fra"],
        "lat": ["Latin", "ita", "spa", "fra"], "hat": ["Latin", "fra"],
        // Germanic
        "deu": ["Latin", "ltz", "nld"], "ltz": ["Latin", "deu", "nld"], "nld": ["Latin", "afr", "fry", "deu"],
        "afr": ["Latin", "nld", "deu"], "fry": ["Latin", "nld", "deu"], "dan": ["Latin", "nor", "swe"],
        "nor": ["Latin", "dan", "swe"], "swe": ["Latin", "nor", "dan"], "isl": ["Latin", "fao", "nor", "dan"],
        "fao": ["Latin", "isl", "dan", "nor"],
        // Slavic, Baltic, Finnic, Celtic and others written in Latin letters
        "ces": ["Latin", "slk", "pol", "slv"], "slk": ["Latin", "ces", "pol"], "pol": ["Latin", "ces", "slk"],
        "slv": ["Latin", "hrv", "bos", "srp_latn"], "hrv": ["Latin", "bos", "srp_latn", "slv"],
        "bos": ["Latin", "hrv", "srp_latn", "slv"], "srp_latn": ["Latin", "hrv", "bos", "slv"],
        "lit": ["Latin", "lav"], "lav": ["Latin", "lit"], "fin": ["Latin", "est"], "est": ["Latin", "fin"],
        "gle": ["Latin", "gla"], "gla": ["Latin", "gle"], "cym": ["Latin", "bre"], "bre": ["Latin", "cym"],
        "ind": ["Latin", "msa", "jav", "sun"], "msa": ["Latin", "ind", "jav"], "jav": ["Latin", "ind", "sun", "msa"],
        "sun": ["Latin", "ind", "jav"], "tur": ["Latin", "aze"], "aze": ["Latin", "tur"], "uzb": ["Latin", "tur"],
        "hun": ["Latin"], "eus": ["Latin", "spa"], "sqi": ["Latin"], "mlt": ["Latin", "ita"], "vie": ["Vietnamese", "Latin"],
        "epo": ["Latin"], "swa": ["Latin"], "fil": ["Latin", "ceb"], "ceb": ["Latin", "fil"], "eng": ["Latin"],
        // Cyrillic
        "rus": ["Cyrillic", "ukr", "bel", "bul"], "ukr": ["Cyrillic", "rus", "bel", "bul"], "bel": ["Cyrillic", "rus", "ukr"],
        "bul": ["Cyrillic", "mkd", "rus", "srp"], "mkd": ["Cyrillic", "bul", "srp", "rus"], "srp": ["Cyrillic", "mkd", "bul", "rus"],
        "kaz": ["Cyrillic", "kir", "rus"], "kir": ["Cyrillic", "kaz", "rus"], "tat": ["Cyrillic", "rus"],
        "tgk": ["Cyrillic", "rus"], "mon": ["Cyrillic", "rus"],
        // Arabic, Devanagari
        "fas": ["Arabic", "urd", "ara"], "urd": ["Arabic", "fas", "ara"], "pus": ["Arabic", "fas", "urd"],
        "snd": ["Arabic", "urd", "fas"], "ara": ["Arabic", "fas", "urd"],
        "mar": ["Devanagari", "hin", "nep"], "nep": ["Devanagari", "hin", "mar"], "san": ["Devanagari", "hin", "mar"],
        "hin": ["Devanagari", "mar", "nep"],
    ]

    /// The installed model to read `language` with: its own, else the closest that is installed.
    static func readingModel(for language: String, installed: (String) -> Bool) -> String? {
        if installed(language) { return language }
        return closestModels[language]?.first(where: installed)
    }

    /// Turns a caller's code into Tesseract's `a+b` form; nil means `auto`.
    ///
    /// Accepts `+` or `,` between languages and any letter case. A name the tables do not know
    /// is passed through as a model name (a model of one's own in `tessdata/`); whether it is
    /// installed is the model locator's question.
    public static func tesseractLanguage(for code: String) throws -> String? {
        let trimmed = code.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.lowercased() == "auto" { return nil }
        var models: [String] = []
        for part in trimmed.split(whereSeparator: { $0 == "+" || $0 == "," }) {
            let part = part.trimmingCharacters(in: .whitespaces)
            guard !part.isEmpty else { continue }
            guard let model = model(for: part) else { throw EngineError.unknownLanguage(code: code) }
            if !models.contains(model) { models.append(model) }
        }
        guard !models.isEmpty else { throw EngineError.unknownLanguage(code: code) }
        return models.joined(separator: "+")
    }

    /// The model one code names, or nil when it cannot be a model name.
    static func model(for code: String) -> String? {
        let name = code.hasPrefix("script/") ? String(code.dropFirst("script/".count)) : code
        if LanguageCatalog.script(named: name) != nil { return name }  // `Lao` the script, `lao` the language
        let lowered = name.lowercased()
        if let model = languageCodes[lowered] ?? scriptNames[lowered] { return model }
        if lowered.count >= 3, lowered.allSatisfy({ $0.isLetter || $0 == "_" }) { return lowered }
        return nil
    }

    /// Debian's package of a model (`tesseract-ocr-chi-sim`, `tesseract-ocr-script-latn`).
    public static func debianPackage(for model: String) -> String {
        LanguageCatalog.debianPackage(for: model)
    }
}

extension LanguageCodes {
    /// The codes (other than the model's own name) that name each of `models`, for listing.
    public static func shortCodes(by models: [String]) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for (code, model) in languageCodes where models.contains(model) && code != model {
            result[model, default: []].append(code)
        }
        return result.mapValues { $0.sorted { ($0.count, $0) < ($1.count, $1) } }
    }
}
