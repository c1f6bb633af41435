import Foundation

/// A value found in a line of text: where it is and what it says.
struct FoundValue: Equatable {
    /// The value as printed.
    var text: String
    /// Its position in the line (UTF-16 offsets, as the patterns report them).
    var range: NSRange
    /// Higher for a fuller value (a date with its year, an amount with its currency).
    var strength: Int
}

/// Finds amounts, dates, identifiers, counts and names in a line of text: what goes up front in an
/// answer. Patterns cover the ways forms, invoices and contracts print them in the engine's
/// languages (`$1,234.56`, `1 250,00 €`, `2026-03-31`, `31.12.2026`, `December 31, 2026`, `3 mars 2026`).
enum ValueFinder {
    static func values(of kind: QuestionKind, in line: String) -> [FoundValue] {
        switch kind {
        case .amount: return amounts(in: line)
        case .date: return dates(in: line)
        case .number: return identifiers(in: line)
        case .count: return counts(in: line)
        case .name: return names(in: line)
        case .yesNo, .open: return []
        }
    }

    // MARK: amounts

    private static let currency = #"(?:[$€£¥₽₹]|US\$|USD|EUR|GBP|CHF|RUB|JPY|CNY|CAD|AUD|INR|PLN|SEK|NOK|DKK|руб\.?|р\.|zł|Kč)"#
    private static let amountPattern = try! NSRegularExpression(pattern:
        #"(?<![\w.,/-])(?:(CUR)\s?)?(-?\d{1,3}(?:[ ,.'’\u00a0]\d{3})+(?:[.,]\d{1,2})?|-?\d+(?:[.,]\d{1,2})?)(?:\s?(CUR))?(?![\w]|[.,/:-]\d)"#
            .replacingOccurrences(of: "CUR", with: currency))

    static func amounts(in line: String) -> [FoundValue] {
        let string = line as NSString
        return amountPattern.matches(inWhole: line).compactMap { match in
            let hasCurrency = match.range(at: 1).location != NSNotFound || match.range(at: 3).location != NSNotFound
            let number = string.substring(with: match.range(at: 2))
            let hasCents = number.range(of: #"[.,]\d{2}$"#, options: .regularExpression) != nil
            let hasThousands = number.range(of: #"\d[ ,.'’\u00a0]\d{3}"#, options: .regularExpression) != nil
            guard hasCurrency || hasCents || hasThousands else { return nil }
            let text = string.substring(with: match.range).trimmingCharacters(in: .whitespaces)
            return FoundValue(text: text, range: match.range, strength: (hasCurrency ? 2 : 0) + (hasCents ? 1 : 0))
        }
    }

    // MARK: dates

    private static let month = #"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec|januar|februar|märz|maerz|mai|juni|juli|oktober|dezember|janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь)"#
    private static let weekday = #"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье)"#
    private static let ordinal = #"(?:st|nd|rd|th|er|\.)?"#

    /// Date patterns, fullest first, each with its strength.
    private static let datePatterns: [(NSRegularExpression, Int)] = [
        (#"\b\d{4}-\d{1,2}-\d{1,2}\b"#, 4),
        (#"\b\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})\b"#, 4),
        (#"\b\d{1,2}ORD\s+(?:of\s+|de\s+)?MONTH\.?,?\s+\d{4}\b"#, 4),
        (#"\bMONTH\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b"#, 4),
        (#"\b\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"#, 4),
        (#"\b\d{1,2}ORD\s+(?:of\s+|de\s+)?MONTH\b"#, 3),
        (#"\bMONTH\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?![.,]?\d)"#, 3),
        (#"\bMONTH\.?\s+\d{4}\b"#, 2),
        (#"\b\d{1,2}:\d{2}(?:\s?[ap]\.?m\.?)?\b"#, 1),
        (#"\bMONTH\b"#, 1),
        (#"\bWEEKDAY\b"#, 1),
    ].map { pattern, strength in
        let expanded = pattern.replacingOccurrences(of: "MONTH", with: month)
            .replacingOccurrences(of: "WEEKDAY", with: weekday).replacingOccurrences(of: "ORD", with: ordinal)
        return (try! NSRegularExpression(pattern: expanded, options: [.caseInsensitive]), strength)
    }

    static func dates(in line: String) -> [FoundValue] {
        firstMatches(of: datePatterns, in: line) { text, strength in
            // A bare month name is a date only when capitalised (`May`, not `may`).
            if strength == 1, let first = text.first, first.isLetter, !first.isUppercase { return nil }
            return text
        }
    }

    /// The matches of `patterns` in `line`, tried in order (fullest first) so that a match
    /// overlapping one already found is passed over; `accept` turns a match's text (and its
    /// pattern's strength) into the value's text, or nil when it is none. In line order.
    private static func firstMatches(of patterns: [(NSRegularExpression, Int)], in line: String,
                                     accept: (String, Int) -> String?) -> [FoundValue] {
        var found: [FoundValue] = []
        let string = line as NSString
        for (pattern, strength) in patterns {
            for match in pattern.matches(inWhole: line)
            where !found.contains(where: { NSIntersectionRange($0.range, match.range).length > 0 }) {
                guard let text = accept(string.substring(with: match.range), strength) else { continue }
                found.append(FoundValue(text: text, range: match.range, strength: strength))
            }
        }
        return found.sorted { $0.range.location < $1.range.location }
    }

    // MARK: identifiers and counts

    private static let identifierPatterns: [(NSRegularExpression, Int)] = [
        (#"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b"#, 3),  // IBAN
        (#"(?<![\w-])\+?\(?\d{1,4}\)?(?:[ .-]\(?\d{2,4}\)?){2,5}(?![\w-])"#, 2),  // phone-like runs, separated
        (#"(?<![\w-])(?:[A-Za-z]{1,6}[-/#]?)?\d[\dA-Za-z]*(?:[-/.][A-Za-z0-9]+)*(?![\w])"#, 1),
    ].map { (try! NSRegularExpression(pattern: $0.0), $0.1) }

    static func identifiers(in line: String) -> [FoundValue] {
        firstMatches(of: identifierPatterns, in: line) { text, _ in
            let text = text.trimmingCharacters(in: .whitespaces)
            return text.contains(where: \.isNumber) ? text : nil
        }
    }

    private static let spelledNumbers = #"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen)"#
    private static let countPattern = try! NSRegularExpression(
        pattern: #"(?<![\w.,])(?:\d+(?:[,.]\d{3})*|SPELLED(?:[- ]SPELLED)*)(?![\w]|[.,]\d)"#
            .replacingOccurrences(of: "SPELLED", with: spelledNumbers),
        options: [.caseInsensitive])

    static func counts(in line: String) -> [FoundValue] {
        countPattern.matches(inWhole: line).map {
            FoundValue(text: (line as NSString).substring(with: $0.range), range: $0.range, strength: 1)
        }
    }

    // MARK: names

    private static let namePattern = try! NSRegularExpression(pattern:
        #"\p{Lu}[\p{L}&.'’-]*(?:\s+(?:(?:&|and|of|de|von|van|der|du|la)\s+)?\p{Lu}[\p{L}&.'’-]*)*"#)

    /// Runs of capitalised words (`Northwind Traders`, `ООО Ромашка`, `Jean de La Fontaine`).
    static func names(in line: String) -> [FoundValue] {
        namePattern.matches(inWhole: line).map { match in
            let text = (line as NSString).substring(with: match.range).trimmingCharacters(in: CharacterSet(charactersIn: ".,;:-'’ "))
            return FoundValue(text: text, range: match.range, strength: text.split(separator: " ").count > 1 ? 2 : 1)
        }
    }

    /// Spaces, and what a table's rules are read as.
    private static let ruleOrSpace = CharacterSet.whitespaces.union(CharacterSet(charactersIn: "|¦[]"))

    /// `Label: value` → (label, value, where the value starts), for lines of forms and invoices.
    static func labelled(_ line: String) -> (label: String, value: String, valueStart: Int)? {
        let string = line as NSString
        let colon = string.range(of: ":")
        guard colon.location != NSNotFound, colon.location > 0 else { return nil }
        // A table's rules read as `|` (or `¦`, `[`): on either side of a label or a value they are
        // not part of it (`| Total: $23.90 |`).
        let label = string.substring(to: colon.location).trimmingCharacters(in: ruleOrSpace)
        let rest = string.substring(from: colon.location + 1)
        let value = rest.trimmingCharacters(in: ruleOrSpace)
        // A time (`10:30`) is not a label.
        guard !label.isEmpty, !value.isEmpty, !(label.last?.isNumber == true && value.first?.isNumber == true),
              label.count <= 60 else { return nil }
        let leading = String(String.UnicodeScalarView(rest.unicodeScalars.prefix { ruleOrSpace.contains($0) })).utf16.count
        return (label, value, colon.location + 1 + leading)
    }
}
