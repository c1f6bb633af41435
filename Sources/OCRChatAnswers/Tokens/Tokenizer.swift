import Foundation

/// Turns text into search terms the same way for a document and for a question.
///
/// - Case and accents are folded (`Café` → `cafe`, `ЁЛКА` → `елка`, Arabic hamza forms → bare alef),
///   so a question typed without accents finds the accented text and the other way round.
/// - Words are runs of one script: Latin, Cyrillic, Greek, Arabic, Hebrew… are split on anything else.
/// - Chinese, Japanese and Korean have no spaces: a run of them gives its character bigrams
///   (a lone character gives itself), the usual way to search CJK without a dictionary.
/// - Numbers, amounts and dates stay whole (`1,250.00`, `2026-03-31`, `31.12.2026`), digits of any
///   script read as ASCII digits.
/// - Latin words lose a plural or verb ending (a light stemmer) so `ends` finds `end`.
public struct Tokenizer: Sendable {
    /// Drops words that carry no meaning for search (`the`, `what`, `der`, `и`, …).
    public var removesStopwords: Bool

    /// A tokenizer; `removesStopwords` is on for search and off to look at every word.
    public init(removesStopwords: Bool = true) {
        self.removesStopwords = removesStopwords
    }

    /// The search terms of `text`, in order.
    public func terms(_ text: String) -> [String] {
        var terms: [String] = []
        for piece in Self.pieces(of: text) {
            switch piece {
            case .number(let number):
                terms.append(number)
            case .cjk(let characters):
                if characters.count == 1 {
                    terms.append(String(characters[0]))
                } else {
                    for index in 0..<(characters.count - 1) {
                        terms.append(String(characters[index]) + String(characters[index + 1]))
                    }
                }
            case .word(let word, let script):
                let folded = TextFolding.fold(word)
                guard !folded.isEmpty else { continue }
                if removesStopwords && Stopwords.contains(folded) { continue }
                terms.append(script == .latin ? Self.stem(folded) : folded)
            }
        }
        return terms
    }

    /// The folded words of `text` without stemming or stopword removal: to compare labels exactly.
    public static func words(_ text: String) -> [String] {
        pieces(of: text).compactMap { piece in
            switch piece {
            case .number(let number): return number
            case .word(let word, _): return TextFolding.fold(word)
            case .cjk(let characters): return String(characters)
            }
        }
    }

    enum Script: Equatable { case latin, other }

    enum Piece: Equatable {
        case word(String, Script)
        case number(String)
        case cjk([Character])
    }

    /// Splits text into words, numbers and CJK runs.
    static func pieces(of text: String) -> [Piece] {
        // NFKC (fullwidth forms, ligatures) only matters beyond ASCII, and costs on every passage.
        let characters = Array(text.utf8.allSatisfy { $0 < 0x80 } ? text : text.precomposedStringWithCompatibilityMapping)
        var pieces: [Piece] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if let digit = asciiDigit(character) {
                // A number: digits, with single separators between digits kept inside it.
                var number = String(digit)
                var next = index + 1
                while next < characters.count {
                    if let digit = asciiDigit(characters[next]) {
                        number.append(digit)
                        next += 1
                    } else if numberSeparators.contains(characters[next]), next + 1 < characters.count,
                              let digit = asciiDigit(characters[next + 1]) {
                        number.append(characters[next])
                        number.append(digit)
                        next += 2
                    } else {
                        break
                    }
                }
                pieces.append(.number(number))
                index = next
            } else if isCJK(character) {
                var run: [Character] = []
                while index < characters.count, isCJK(characters[index]) {
                    run.append(characters[index])
                    index += 1
                }
                pieces.append(.cjk(run))
            } else if character.isLetter || isCombiningMark(character) {
                let script = scriptClass(character)
                var word = ""
                while index < characters.count {
                    let next = characters[index]
                    if isCJK(next) || asciiDigit(next) != nil { break }
                    if next.isLetter || isCombiningMark(next) {
                        if next.isLetter && scriptClass(next) != script { break }
                        word.append(next)
                        index += 1
                    } else if (next == "'" || next == "’"), index + 1 < characters.count, characters[index + 1].isLetter,
                              scriptClass(characters[index + 1]) == script {
                        // Apostrophes inside a word (l'accord, don't) join rather than split it.
                        word.append("'")
                        index += 1
                    } else {
                        break
                    }
                }
                if let possessive = word.range(of: "'s", options: [.anchored, .backwards]) {
                    word.removeSubrange(possessive)
                }
                pieces.append(.word(word, script == "Latn" ? .latin : .other))
            } else {
                index += 1
            }
        }
        return pieces
    }

    private static let numberSeparators: Set<Character> = [".", ",", "/", "-", ":", "\u{2019}", "'"]

    /// A decimal digit of any script (Arabic-Indic, fullwidth, …) as ASCII; nil for anything else.
    static func asciiDigit(_ character: Character) -> Character? {
        if let ascii = character.asciiValue { return (48...57).contains(ascii) ? character : nil }
        guard character.isNumber, let value = character.wholeNumberValue, (0...9).contains(value),
              character.unicodeScalars.count == 1,
              character.unicodeScalars.first!.properties.numericType == .decimal else { return nil }
        return Character(String(value))
    }

    /// Han ideographs, kana and Hangul: scripts written without spaces between words.
    static func isCJK(_ character: Character) -> Bool {
        if character.isASCII { return false }
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xAC00...0xD7AF,
             0x1100...0x11FF, 0x20000...0x2FA1F, 0x31F0...0x31FF:
            return true
        default:
            return false
        }
    }

    private static func isCombiningMark(_ character: Character) -> Bool {
        if character.isASCII { return false }
        return character.unicodeScalars.allSatisfy { $0.properties.generalCategory == .nonspacingMark }
    }

    /// A coarse script name for the first letter of a character: enough to split `Total总计` or
    /// `ООО«Ромашка»` into words without a dictionary.
    private static func scriptClass(_ character: Character) -> String {
        if let ascii = character.asciiValue { return (65...90).contains(ascii) || (97...122).contains(ascii) ? "Latn" : "" }
        guard let scalar = character.unicodeScalars.first else { return "" }
        switch scalar.value {
        case 0x0041...0x024F, 0x1E00...0x1EFF, 0x00AA, 0x00BA: return "Latn"
        case 0x0370...0x03FF, 0x1F00...0x1FFF: return "Grek"
        case 0x0400...0x052F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F: return "Cyrl"
        case 0x0590...0x05FF: return "Hebr"
        case 0x0600...0x06FF, 0x0750...0x077F, 0x08A0...0x08FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF: return "Arab"
        default: return "Other"
        }
    }

    /// A light English stemmer: plural and common verb endings, never below three letters. The same
    /// rule runs on both sides, so it only has to be consistent, not linguistically right.
    static func stem(_ word: String) -> String {
        guard word.count > 3 else { return word }
        var word = word
        if word.hasSuffix("ies"), word.count > 4 {
            word = String(word.dropLast(3)) + "y"
        } else if word.hasSuffix("sses") {
            word = String(word.dropLast(2))
        } else if word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us"), !word.hasSuffix("is") {
            word = String(word.dropLast())
        }
        if word.hasSuffix("ing"), word.count > 5 {
            word = String(word.dropLast(3))
        } else if word.hasSuffix("ed"), word.count > 4, !word.hasSuffix("eed") {
            word = String(word.dropLast(2))
        }
        // A final e goes too, so that `invoice` meets `invoiced` and `expire` meets `expired`.
        if word.hasSuffix("e"), word.count > 3, !word.hasSuffix("ee") {
            word = String(word.dropLast())
        }
        return word
    }
}
