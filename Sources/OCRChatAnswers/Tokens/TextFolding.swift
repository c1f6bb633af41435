import Foundation

/// Case and accent folding, so that `Résumé`, `RESUME` and `resume` are one term.
enum TextFolding {
    /// `word` lowercased, without combining marks (accents, Arabic vowel signs, the Cyrillic breve),
    /// with a few letters that are not decomposable spelled out (`ß` → `ss`, `ø` → `o`) and the
    /// Arabic letter variants people type interchangeably made one.
    static func fold(_ word: String) -> String {
        // Most words of most documents are plain ASCII: lowercasing is all they need.
        if word.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x27 }) { return word.lowercased() }
        var folded = ""
        folded.unicodeScalars.reserveCapacity(word.unicodeScalars.count)
        for scalar in word.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format:
                continue
            default:
                break
            }
            if let replacement = replacements[scalar] {
                folded.unicodeScalars.append(contentsOf: replacement.unicodeScalars)
            } else {
                folded.unicodeScalars.append(scalar)
            }
        }
        return folded
    }

    private static let replacements: [Unicode.Scalar: String] = [
        "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
        "\u{0640}": "",        // Arabic tatweel (a stretching stroke, not a letter)
        "\u{0629}": "\u{0647}", // ة → ه
        "\u{0649}": "\u{064A}", // ى → ي
        "\u{0671}": "\u{0627}", // ٱ → ا
        "'": "", "’": "",
    ]
}
