import Foundation

/// A sentence of a passage, or one line of a form: the unit an answer quotes.
struct Statement: Equatable {
    /// The text, wrapped lines joined.
    var text: String
    /// The passage it is in.
    var passage: Passage
    /// The passage lines it spans (indices into `passage.lines`).
    var lines: [Int]

    /// The statements of `passage`, in order. A line break ends a statement unless the text plainly
    /// runs on (the next line starts in lower case, or this one ends with a comma or a hyphen), so the
    /// lines of a form stay apart while a wrapped paragraph is read as sentences.
    static func statements(of passage: Passage) -> [Statement] {
        var groups: [(text: String, lines: [Int])] = []
        for (index, line) in passage.lines.enumerated() {
            let text = line.text
            if var last = groups.last, runsOn(last.text, into: text) {
                if last.text.hasSuffix("-"), text.first?.isLowercase == true {
                    last.text = String(last.text.dropLast()) + text
                } else {
                    last.text += " " + text
                }
                last.lines.append(index)
                groups[groups.count - 1] = last
            } else {
                groups.append((text, [index]))
            }
        }
        return groups.flatMap { group in
            sentences(of: group.text).map { Statement(text: $0, passage: passage, lines: group.lines) }
        }
    }

    private static func runsOn(_ previous: String, into next: String) -> Bool {
        guard let end = previous.last, let start = next.first else { return false }
        if ".!?:;。！？".contains(end) { return false }
        return start.isLowercase || end == "," || end == "-"
    }

    private static let boundary = try! NSRegularExpression(
        pattern: #"(?:(?<=\D\.)|(?<=[!?。！？]))\s+(?=[\p{Lu}\p{Lo}"“«(])|(?<=[。！？])"#)

    /// Splits at sentence ends: a stop followed by a capital (or any letter of a caseless script), so
    /// `No. 2041` and `1,250.00` are not cut; nor is a German date (`3. März`), a stop after a digit.
    static func sentences(of text: String) -> [String] {
        let string = text as NSString
        var sentences: [String] = []
        var start = 0
        for match in boundary.matches(inWhole: text) {
            let piece = string.substring(with: NSRange(location: start, length: match.range.location - start))
            sentences.append(piece)
            start = match.range.location + match.range.length
        }
        sentences.append(string.substring(from: start))
        return sentences.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
