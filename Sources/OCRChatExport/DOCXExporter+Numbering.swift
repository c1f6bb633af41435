import OCRChatModel

/// Lists as Word lists: a bulleted item refers to one bullet list (numId 1); each run of items
/// numbered 1., 2., 3. … is a numbered list of its own (numId 2, 3, …), starting at its first number,
/// so that Word shows the numbers the page shows and renumbers them when the list is edited.
struct ListNumbering {
    /// How one list item is written: its text without the marker, and the Word list it is in.
    struct Item: Equatable {
        var text: String
        var numberID: Int
    }

    /// The first number of each numbered list, in order (numId 2 is the first).
    private(set) var numberedStarts: [Int] = []
    private var expected: Int?

    static let bulletListID = 1

    /// The Word list of `block`, or nil when it is no list item (or its marker is a letter or a roman
    /// numeral, which stays as text); blocks must come in document order.
    mutating func next(_ block: Block) -> Item? {
        guard block.kind == .listItem else {
            expected = nil
            return nil
        }
        let text = block.runningText
        let words = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard let marker = words.first else { return nil }
        let rest = words.count > 1 ? words[1] : ""
        if marker.count == 1, let character = marker.first, !character.isLetter, !character.isNumber {
            expected = nil
            return Item(text: rest, numberID: Self.bulletListID)
        }
        let digits = marker.filter(\.isNumber)
        guard let number = Int(digits), digits.count <= 3,
              marker.range(of: #"^\(?\d{1,3}[.)]$"#, options: .regularExpression) != nil else {
            expected = nil
            return nil
        }
        if number != expected { numberedStarts.append(number) }
        expected = number + 1
        return Item(text: rest, numberID: Self.bulletListID + numberedStarts.count)
    }
}

extension DOCXExporter {
    /// The numbered lists of `document`, as `ListNumbering` finds them while the body is written.
    static func numberedLists(_ document: Document) -> [Int] {
        var lists = ListNumbering()
        for block in document.pages.flatMap(\.blocks) { _ = lists.next(block) }
        return lists.numberedStarts
    }

    /// `word/numbering.xml`: a bullet list and a decimal list definition, the bullet list (numId 1)
    /// and one numbered list per entry of `numberedStarts`, each restarting at its first number.
    static func numberingXML(_ numberedStarts: [Int]) -> String {
        let level = #"<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr>"#
        var xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:numbering xmlns:w="\(Namespace.wordprocessing)">\
            <w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/>\
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/>\
            <w:lvlJc w:val="left"/>\(level)</w:lvl></w:abstractNum>\
            <w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="singleLevel"/>\
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>\
            <w:lvlJc w:val="left"/>\(level)</w:lvl></w:abstractNum>\
            <w:num w:numId="\(ListNumbering.bulletListID)"><w:abstractNumId w:val="0"/></w:num>
            """
        for (position, start) in numberedStarts.enumerated() {
            xml += "<w:num w:numId=\"\(ListNumbering.bulletListID + 1 + position)\"><w:abstractNumId w:val=\"1\"/>"
                + "<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"\(start)\"/></w:lvlOverride></w:num>"
        }
        return xml + "</w:numbering>"
    }
}
