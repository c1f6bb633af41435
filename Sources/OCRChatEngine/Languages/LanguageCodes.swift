import Foundation

/// Language codes as callers write them: the short ISO codes the ocr.chat API takes (`en`, `de`,
/// `ch` = simplified Chinese, …) and Tesseract's own model names (`eng`, `chi_sim`, `deu+eng`).
public enum LanguageCodes {
    /// Short codes of the public API, mapped to Tesseract model names.
    static let shortCodes: [String: String] = [
        "af": "afr", "am": "amh", "ar": "ara", "as": "asm", "az": "aze", "be": "bel", "bg": "bul",
        "bn": "ben", "bo": "bod", "br": "bre", "bs": "bos", "ca": "cat", "ch": "chi_sim", "cs": "ces",
        "cy": "cym", "da": "dan", "de": "deu", "dz": "dzo", "el": "ell", "en": "eng", "eo": "epo",
        "es": "spa", "et": "est", "eu": "eus", "fa": "fas", "fi": "fin", "fil": "fil", "fo": "fao",
        "fr": "fra", "fy": "fry", "ga": "gle", "gd": "gla", "gl": "glg", "gu": "guj", "he": "heb",
        "hi": "hin", "hr": "hrv", "ht": "hat", "hu": "hun", "hy": "hye", "id": "ind", "is": "isl",
        "it": "ita", "iu": "iku", "iw": "heb", "ja": "jpn", "jv": "jav", "ka": "kat", "kk": "kaz",
        "km": "khm", "kn": "kan", "ko": "kor", "ky": "kir", "la": "lat", "lb": "ltz", "lo": "lao",
        "lt": "lit", "lv": "lav", "mi": "mri", "mk": "mkd", "ml": "mal", "mn": "mon", "mr": "mar",
        "ms": "msa", "mt": "mlt", "my": "mya", "nb": "nor", "ne": "nep", "nl": "nld", "no": "nor",
        "oc": "oci", "or": "ori", "pa": "pan", "pl": "pol", "ps": "pus", "pt": "por", "qu": "que",
        "ro": "ron", "ru": "rus", "sa": "san", "sd": "snd", "si": "sin", "sk": "slk", "sl": "slv",
        "sq": "sqi", "sr": "srp", "su": "sun", "sv": "swe", "sw": "swa", "ta": "tam", "te": "tel",
        "tg": "tgk", "th": "tha", "ti": "tir", "tl": "fil", "to": "ton", "tr": "tur", "tt": "tat",
        "ug": "uig", "uk": "ukr", "ur": "urd", "uz": "uzb", "vi": "vie", "yi": "yid", "yo": "yor",
        "zh": "chi_sim", "zh-cn": "chi_sim", "zh-hans": "chi_sim", "zh-tw": "chi_tra", "zh-hant": "chi_tra",
    ]

    /// Every model name Tesseract publishes, so that a real but missing model is told apart from a typo.
    static let tesseractModels: Set<String> = [
        "afr", "amh", "ara", "asm", "aze", "aze_cyrl", "bel", "ben", "bod", "bos", "bre", "bul", "cat", "ceb",
        "ces", "chi_sim", "chi_sim_vert", "chi_tra", "chi_tra_vert", "chr", "cos", "cym", "dan", "deu", "div",
        "dzo", "ell", "eng", "enm", "epo", "equ", "est", "eus", "fao", "fas", "fil", "fin", "fra", "frk", "frm",
        "fry", "gla", "gle", "glg", "grc", "guj", "hat", "heb", "hin", "hrv", "hun", "hye", "iku", "ind", "isl",
        "ita", "ita_old", "jav", "jpn", "jpn_vert", "kan", "kat", "kat_old", "kaz", "khm", "kir", "kmr", "kor",
        "kor_vert", "lao", "lat", "lav", "lit", "ltz", "mal", "mar", "mkd", "mlt", "mon", "mri", "msa", "mya",
        "nep", "nld", "nor", "oci", "ori", "osd", "pan", "pol", "por", "pus", "que", "ron", "rus", "san", "sin",
        "slk", "slv", "snd", "spa", "spa_old", "sqi", "srp", "srp_latn", "sun", "swa", "swe", "syr", "tam", "tat",
        "tel", "tgk", "tha", "tir", "ton", "tur", "uig", "ukr", "urd", "uzb", "uzb_cyrl", "vie", "yid", "yor",
    ]

    /// The models to try, best first, for a script that orientation detection names.
    static let modelsForScript: [String: [String]] = [
        "Cyrillic": ["rus", "ukr", "bul", "srp", "bel", "mkd"],
        "Arabic": ["ara", "fas", "urd"],
        "Han": ["chi_sim", "chi_tra", "jpn"],
        "Japanese": ["jpn"], "Katakana": ["jpn"], "Hiragana": ["jpn"],
        "Hangul": ["kor"], "Korean": ["kor"],
        "Greek": ["ell", "grc"], "Hebrew": ["heb", "yid"], "Devanagari": ["hin", "mar", "nep", "san"],
        "Thai": ["tha"], "Bengali": ["ben", "asm"], "Tamil": ["tam"], "Telugu": ["tel"], "Kannada": ["kan"],
        "Malayalam": ["mal"], "Gujarati": ["guj"], "Gurmukhi": ["pan"], "Georgian": ["kat"],
        "Armenian": ["hye"], "Ethiopic": ["amh", "tir"], "Khmer": ["khm"], "Lao": ["lao"],
        "Myanmar": ["mya"], "Sinhala": ["sin"], "Tibetan": ["bod"], "Oriya": ["ori"], "Syriac": ["syr"],
        "Thaana": ["div"], "Cherokee": ["chr"], "Canadian_Aboriginal": ["iku"],
    ]

    /// Turns a caller's code into Tesseract's `a+b` form; nil means `auto`.
    ///
    /// Accepts `+` or `,` between languages and any letter case.
    public static func tesseractLanguage(for code: String) throws -> String? {
        let trimmed = code.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed.isEmpty || trimmed == "auto" { return nil }
        let parts = trimmed.split(whereSeparator: { $0 == "+" || $0 == "," }).map {
            $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "_")
        }
        var models: [String] = []
        for part in parts where !part.isEmpty {
            let model: String
            if let mapped = shortCodes[part] {
                model = mapped
            } else if part.allSatisfy({ $0.isLetter || $0 == "_" }), part.count >= 3 {
                model = part
            } else {
                throw EngineError.unknownLanguage(code: code)
            }
            if !models.contains(model) { models.append(model) }
        }
        guard !models.isEmpty else { throw EngineError.unknownLanguage(code: code) }
        return models.joined(separator: "+")
    }
}

extension LanguageCodes {
    /// The short codes that name each of `models`, for listing.
    public static func shortCodes(by models: [String]) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for (code, model) in shortCodes where models.contains(model) {
            result[model, default: []].append(code)
        }
        return result.mapValues { $0.sorted() }
    }
}
