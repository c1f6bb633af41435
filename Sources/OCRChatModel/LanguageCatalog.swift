/// Every language and script model Tesseract publishes (and Debian packages, `tesseract-ocr-all`),
/// with the codes people write for them: the model's name (`deu`, `chi_sim`), ISO 639-1 (`de`),
/// other ISO 639-2/3 codes (`ger`), and the BCP 47 tag that documents carry (`de`, `zh-Hans`).
///
/// Plain data, in the model module because the exporters write the tags (`w:lang`, hOCR `lang`,
/// ALTO `LANG`, the PDF's `/Lang`) from a page's `language` and nothing else.
public enum LanguageCatalog {
    /// The 123 language models.
    public static let languages: [LanguageModel] = [
        LanguageModel("afr", "af", [], "Afrikaans"),
        LanguageModel("amh", "am", [], "Amharic"),
        LanguageModel("ara", "ar", ["arb"], "Arabic"),
        LanguageModel("asm", "as", [], "Assamese"),
        LanguageModel("aze", "az", ["azj"], "Azerbaijani"),
        LanguageModel("aze_cyrl", nil, [], "Azerbaijani (Cyrillic)", tag: "az-Cyrl"),
        LanguageModel("bel", "be", [], "Belarusian"),
        LanguageModel("ben", "bn", [], "Bengali"),
        LanguageModel("bod", "bo", ["tib"], "Tibetan"),
        LanguageModel("bos", "bs", [], "Bosnian"),
        LanguageModel("bre", "br", [], "Breton"),
        LanguageModel("bul", "bg", [], "Bulgarian"),
        LanguageModel("cat", "ca", [], "Catalan"),
        LanguageModel("ceb", nil, [], "Cebuano"),
        LanguageModel("ces", "cs", ["cze"], "Czech"),
        LanguageModel("chi_sim", "zh", ["zho", "chi", "cmn"], "Chinese (simplified)", tag: "zh-Hans"),
        LanguageModel("chi_sim_vert", nil, [], "Chinese (simplified, vertical)", tag: "zh-Hans"),
        LanguageModel("chi_tra", nil, [], "Chinese (traditional)", tag: "zh-Hant"),
        LanguageModel("chi_tra_vert", nil, [], "Chinese (traditional, vertical)", tag: "zh-Hant"),
        LanguageModel("chr", nil, [], "Cherokee"),
        LanguageModel("cos", "co", [], "Corsican"),
        LanguageModel("cym", "cy", ["wel"], "Welsh"),
        LanguageModel("dan", "da", [], "Danish"),
        LanguageModel("deu", "de", ["ger"], "German"),
        LanguageModel("div", "dv", [], "Dhivehi"),
        LanguageModel("dzo", "dz", [], "Dzongkha"),
        LanguageModel("ell", "el", ["gre"], "Greek"),
        LanguageModel("eng", "en", [], "English"),
        LanguageModel("enm", nil, [], "Middle English"),
        LanguageModel("epo", "eo", [], "Esperanto"),
        LanguageModel("est", "et", ["ekk"], "Estonian"),
        LanguageModel("eus", "eu", ["baq"], "Basque"),
        LanguageModel("fao", "fo", [], "Faroese"),
        LanguageModel("fas", "fa", ["per", "pes"], "Persian"),
        LanguageModel("fil", nil, ["tgl"], "Filipino"),
        LanguageModel("fin", "fi", [], "Finnish"),
        LanguageModel("fra", "fr", ["fre"], "French"),
        LanguageModel("frk", nil, [], "German (Fraktur)", tag: "de"),
        LanguageModel("frm", nil, [], "Middle French"),
        LanguageModel("fry", "fy", [], "Western Frisian"),
        LanguageModel("gla", "gd", [], "Scottish Gaelic"),
        LanguageModel("gle", "ga", [], "Irish"),
        LanguageModel("glg", "gl", [], "Galician"),
        LanguageModel("grc", nil, [], "Ancient Greek"),
        LanguageModel("guj", "gu", [], "Gujarati"),
        LanguageModel("hat", "ht", [], "Haitian Creole"),
        LanguageModel("heb", "he", [], "Hebrew"),
        LanguageModel("hin", "hi", [], "Hindi"),
        LanguageModel("hrv", "hr", [], "Croatian"),
        LanguageModel("hun", "hu", [], "Hungarian"),
        LanguageModel("hye", "hy", ["arm"], "Armenian"),
        LanguageModel("iku", "iu", [], "Inuktitut"),
        LanguageModel("ind", "id", [], "Indonesian"),
        LanguageModel("isl", "is", ["ice"], "Icelandic"),
        LanguageModel("ita", "it", [], "Italian"),
        LanguageModel("ita_old", nil, [], "Italian (old)", tag: "it"),
        LanguageModel("jav", "jv", [], "Javanese"),
        LanguageModel("jpn", "ja", [], "Japanese"),
        LanguageModel("jpn_vert", nil, [], "Japanese (vertical)", tag: "ja"),
        LanguageModel("kan", "kn", [], "Kannada"),
        LanguageModel("kat", "ka", ["geo"], "Georgian"),
        LanguageModel("kat_old", nil, [], "Georgian (old)", tag: "ka"),
        LanguageModel("kaz", "kk", [], "Kazakh"),
        LanguageModel("khm", "km", [], "Khmer"),
        LanguageModel("kir", "ky", [], "Kyrgyz"),
        LanguageModel("kmr", "ku", ["kur"], "Kurmanji (Kurdish)"),
        LanguageModel("kor", "ko", [], "Korean"),
        LanguageModel("kor_vert", nil, [], "Korean (vertical)", tag: "ko"),
        LanguageModel("lao", "lo", [], "Lao"),
        LanguageModel("lat", "la", [], "Latin"),
        LanguageModel("lav", "lv", ["lvs"], "Latvian"),
        LanguageModel("lit", "lt", [], "Lithuanian"),
        LanguageModel("ltz", "lb", [], "Luxembourgish"),
        LanguageModel("mal", "ml", [], "Malayalam"),
        LanguageModel("mar", "mr", [], "Marathi"),
        LanguageModel("mkd", "mk", ["mac"], "Macedonian"),
        LanguageModel("mlt", "mt", [], "Maltese"),
        LanguageModel("mon", "mn", ["khk"], "Mongolian"),
        LanguageModel("mri", "mi", ["mao"], "Maori"),
        LanguageModel("msa", "ms", ["may", "zsm"], "Malay"),
        LanguageModel("mya", "my", ["bur"], "Burmese"),
        LanguageModel("nep", "ne", ["npi"], "Nepali"),
        LanguageModel("nld", "nl", ["dut"], "Dutch"),
        LanguageModel("nor", "no", ["nob", "nno"], "Norwegian"),
        LanguageModel("oci", "oc", [], "Occitan"),
        LanguageModel("ori", "or", ["ory"], "Oriya (Odia)"),
        LanguageModel("pan", "pa", [], "Punjabi"),
        LanguageModel("pol", "pl", [], "Polish"),
        LanguageModel("por", "pt", [], "Portuguese"),
        LanguageModel("pus", "ps", ["pbu"], "Pashto"),
        LanguageModel("que", "qu", [], "Quechua"),
        LanguageModel("ron", "ro", ["rum"], "Romanian"),
        LanguageModel("rus", "ru", [], "Russian"),
        LanguageModel("san", "sa", [], "Sanskrit"),
        LanguageModel("sin", "si", [], "Sinhala"),
        LanguageModel("slk", "sk", ["slo"], "Slovak"),
        LanguageModel("slv", "sl", [], "Slovenian"),
        LanguageModel("snd", "sd", [], "Sindhi"),
        LanguageModel("spa", "es", [], "Spanish"),
        LanguageModel("spa_old", nil, [], "Spanish (old)", tag: "es"),
        LanguageModel("sqi", "sq", ["alb", "als"], "Albanian"),
        LanguageModel("srp", "sr", [], "Serbian"),
        LanguageModel("srp_latn", nil, [], "Serbian (Latin)", tag: "sr-Latn"),
        LanguageModel("sun", "su", [], "Sundanese"),
        LanguageModel("swa", "sw", ["swh"], "Swahili"),
        LanguageModel("swe", "sv", [], "Swedish"),
        LanguageModel("syr", nil, [], "Syriac"),
        LanguageModel("tam", "ta", [], "Tamil"),
        LanguageModel("tat", "tt", [], "Tatar"),
        LanguageModel("tel", "te", [], "Telugu"),
        LanguageModel("tgk", "tg", [], "Tajik"),
        LanguageModel("tha", "th", [], "Thai"),
        LanguageModel("tir", "ti", [], "Tigrinya"),
        LanguageModel("ton", "to", [], "Tongan"),
        LanguageModel("tur", "tr", [], "Turkish"),
        LanguageModel("uig", "ug", [], "Uyghur"),
        LanguageModel("ukr", "uk", [], "Ukrainian"),
        LanguageModel("urd", "ur", [], "Urdu"),
        LanguageModel("uzb", "uz", ["uzn"], "Uzbek"),
        LanguageModel("uzb_cyrl", nil, [], "Uzbek (Cyrillic)", tag: "uz-Cyrl"),
        LanguageModel("vie", "vi", [], "Vietnamese"),
        LanguageModel("yid", "yi", ["ydd"], "Yiddish"),
        LanguageModel("yor", "yo", [], "Yoruba"),
    ]

    /// The 37 script models (Debian's `tesseract-ocr-script-*`; `script/Latin` upstream), each
    /// reading every language written in its script.
    public static let scripts: [ScriptModel] = [
        ScriptModel("Arabic", package: "arab"),
        ScriptModel("Armenian", package: "armn"),
        ScriptModel("Bengali", package: "beng"),
        ScriptModel("Canadian_Aboriginal", package: "cans"),
        ScriptModel("Cherokee", package: "cher"),
        ScriptModel("Cyrillic", package: "cyrl"),
        ScriptModel("Devanagari", package: "deva"),
        ScriptModel("Ethiopic", package: "ethi"),
        ScriptModel("Fraktur", package: "frak"),
        ScriptModel("Georgian", package: "geor"),
        ScriptModel("Greek", package: "grek"),
        ScriptModel("Gujarati", package: "gujr"),
        ScriptModel("Gurmukhi", package: "guru"),
        ScriptModel("HanS", package: "hans"),
        ScriptModel("HanS_vert", package: "hans-vert"),
        ScriptModel("HanT", package: "hant"),
        ScriptModel("HanT_vert", package: "hant-vert"),
        ScriptModel("Hangul", package: "hang"),
        ScriptModel("Hangul_vert", package: "hang-vert"),
        ScriptModel("Hebrew", package: "hebr"),
        ScriptModel("Japanese", package: "jpan"),
        ScriptModel("Japanese_vert", package: "jpan-vert"),
        ScriptModel("Kannada", package: "knda"),
        ScriptModel("Khmer", package: "khmr"),
        ScriptModel("Lao", package: "laoo"),
        ScriptModel("Latin", package: "latn"),
        ScriptModel("Malayalam", package: "mlym"),
        ScriptModel("Myanmar", package: "mymr"),
        ScriptModel("Oriya", package: "orya"),
        ScriptModel("Sinhala", package: "sinh"),
        ScriptModel("Syriac", package: "syrc"),
        ScriptModel("Tamil", package: "taml"),
        ScriptModel("Telugu", package: "telu"),
        ScriptModel("Thaana", package: "thaa"),
        ScriptModel("Thai", package: "thai"),
        ScriptModel("Tibetan", package: "tibt"),
        ScriptModel("Vietnamese", package: "viet"),
    ]

    /// A language or script model by its exact Tesseract name (`deu`, `chi_sim`, `Latin`).
    public static func model(named name: String) -> LanguageModel? { byModel[name] }

    /// A script model by its Tesseract name (`Latin`, `HanS`).
    public static func script(named name: String) -> ScriptModel? { scriptsByName[name] }

    /// Debian's package of a model (`tesseract-ocr-chi-sim`, `tesseract-ocr-script-latn`).
    public static func debianPackage(for model: String) -> String {
        if let script = script(named: model) { return script.debianPackage }
        return self.model(named: model)?.debianPackage ?? "tesseract-ocr-" + model.replacingOccurrences(of: "_", with: "-")
    }

    /// The BCP 47 tags of a Tesseract language string (`fra+eng` → `fr`, `en`), in its order and
    /// without repeats; script models and unknown models have none.
    public static func tags(of tesseractLanguage: String) -> [String] {
        var tags: [String] = []
        for name in tesseractLanguage.split(separator: "+") {
            if let tag = byModel[String(name)]?.tag, !tags.contains(tag) { tags.append(tag) }
        }
        return tags
    }

    private static let byModel: [String: LanguageModel] = Dictionary(uniqueKeysWithValues: languages.map { ($0.model, $0) })
    private static let scriptsByName: [String: ScriptModel] = Dictionary(uniqueKeysWithValues: scripts.map { ($0.model, $0) })
}

/// One Tesseract language model and the codes that name it.
public struct LanguageModel: Sendable, Equatable {
    /// Tesseract's name of the model (`deu`, `chi_sim`, `srp_latn`).
    public let model: String
    /// The ISO 639-1 code, where the language has one.
    public let iso6391: String?
    /// Other ISO 639-2/3 codes that mean this model (bibliographic `ger`, individual `cmn`, …);
    /// the model's own name is already one.
    public let otherCodes: [String]
    /// The language's English name.
    public let name: String
    /// The BCP 47 tag documents carry for text read with this model.
    public let tag: String

    init(_ model: String, _ iso6391: String?, _ otherCodes: [String], _ name: String, tag: String? = nil) {
        self.model = model
        self.iso6391 = iso6391
        self.otherCodes = otherCodes
        self.name = name
        self.tag = tag ?? iso6391 ?? String(model.prefix(3))
    }

    /// Debian's package of the model (`tesseract-ocr-chi-sim`).
    public var debianPackage: String { "tesseract-ocr-" + model.replacingOccurrences(of: "_", with: "-") }
}

/// One Tesseract script model.
public struct ScriptModel: Sendable, Equatable {
    /// Tesseract's name of the model, which is the script's name (`Latin`, `Cyrillic`, `HanS`).
    public let model: String
    /// The end of Debian's package name, the ISO 15924 code (`latn` in `tesseract-ocr-script-latn`).
    public let packageSuffix: String

    init(_ model: String, package: String) {
        self.model = model
        self.packageSuffix = package
    }

    /// Debian's package of the model.
    public var debianPackage: String { "tesseract-ocr-script-" + packageSuffix }
}
