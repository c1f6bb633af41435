/// Language codes as ocrchat takes them (`en`, `eng`, `spa`, Tesseract's `deu+eng`) and as Apertium
/// names its pairs (`eng-spa`, `fr-es`, `es-pt`): both ISO 639-1 and 639-3 forms of each language.
enum TranslationLanguages {
    /// ISO 639-1 → ISO 639-3 (Apertium's newer pairs use the three-letter code).
    static let threeLetter: [String: String] = [
        "en": "eng", "es": "spa", "fr": "fra", "pt": "por", "ca": "cat", "gl": "glg", "it": "ita", "de": "deu",
        "ro": "ron", "eo": "epo", "oc": "oci", "an": "arg", "ast": "ast", "nl": "nld", "af": "afr", "sv": "swe",
        "da": "dan", "nb": "nob", "nn": "nno", "is": "isl", "eu": "eus", "cy": "cym", "br": "bre", "ga": "gle",
        "mt": "mlt", "ru": "rus", "uk": "ukr", "be": "bel", "kk": "kaz", "tt": "tat", "ar": "ara", "hi": "hin",
        "ur": "urd", "sc": "srd", "mk": "mkd", "bg": "bul", "hbs": "hbs", "sl": "slv", "pl": "pol", "cs": "ces",
    ]
    /// Tesseract's and ISO 639-2/B names that differ from ISO 639-3.
    static let aliases: [String: String] = ["fre": "fra", "ger": "deu", "rum": "ron", "dut": "nld", "cze": "ces", "baq": "eus", "wel": "cym"]

    /// The forms a code may take in a pair name (`es`, `spa`), the code itself first; nil when unknown.
    static func forms(of code: String) -> [String]? {
        var code = code.lowercased()
        // Tesseract's `deu+eng`: the first model is the page's main language; `chi_sim` is Chinese.
        if let plus = code.firstIndex(of: "+") { code = String(code[..<plus]) }
        if let underscore = code.firstIndex(of: "_"), code.hasPrefix("chi") { code = String(code[..<underscore]) }
        code = aliases[code] ?? code
        if let three = threeLetter[code] { return [code, three] }
        if let two = threeLetter.first(where: { $0.value == code })?.key { return [code, two] }
        guard !code.isEmpty, code.count <= 3, code.allSatisfy(\.isLetter) else { return nil }
        return [code]
    }

    /// Whether a pair name's language part (`spa`, `pt_BR`, `eng_US`) is the language `forms` names.
    static func matches(_ part: Substring, _ forms: [String]) -> Bool {
        let base = part.split(separator: "_").first.map(String.init) ?? String(part)
        return forms.contains(base)
    }
}
