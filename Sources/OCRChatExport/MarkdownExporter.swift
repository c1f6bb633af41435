import Foundation
import OCRChatModel

/// Markdown: the structure the layout found (headings, paragraphs, list items, `key: value` lines,
/// tables as pipe tables), a rule and a comment between pages.
///
/// Characters that Markdown would read as markup are escaped, so recognised text shows as text;
/// only the structure itself is written as markup.
public struct MarkdownExporter: DocumentExporter {
    public init() {}

    public func export(_ document: Document) throws -> Data {
        Data(render(document).utf8)
    }

    /// The Markdown as a string (the job object carries it too).
    ///
    /// Markdown has no markup for a language, so it is said in comments: the document's languages
    /// at the end (`<!-- language: fr, en -->`), and after a page's marker when that page is in
    /// another language than the document's main one (a bilingual contract).
    public func render(_ document: Document) -> String {
        var parts: [String] = []
        let languages = document.detectedLanguages
        for page in document.pages {
            if page.index > 0 { parts.append("---\n\n<!-- page \(page.index + 1) -->") }
            if let tag = page.languageTags.first, tag != languages.first { parts.append("<!-- language: \(tag) -->") }
            for block in page.blocks {
                parts.append(Self.render(block))
            }
        }
        if !parts.isEmpty, !languages.isEmpty { parts.append("<!-- language: \(languages.joined(separator: ", ")) -->") }
        return parts.isEmpty ? "" : parts.joined(separator: "\n\n") + "\n"
    }

    /// One block as Markdown.
    static func render(_ block: Block) -> String {
        switch block.kind {
        case .heading:
            let level = min(max(block.level ?? 1, 1), 6)
            return String(repeating: "#", count: level) + " " + escape(block.runningText)
        case .listItem:
            return listItem(block)
        case .keyValue:
            let text = block.runningText
            guard let colon = text.firstIndex(of: ":") else { return escape(text) }
            let key = escape(String(text[...colon]))
            let value = String(text[text.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            return "**\(key)** " + escapeInline(value)
        case .caption:
            return "*" + escape(block.runningText) + "*"
        case .table:
            if let table = block.table, table.rowCount > 0, table.columnCount > 0 { return pipeTable(table) }
            return paragraph(block)
        case .paragraph, .header, .footer:
            return paragraph(block)
        }
    }

    /// A paragraph: running text when its lines fill the block (they were wrapped), else line by line
    /// (an address, a poem, a list of names keeps its breaks).
    static func paragraph(_ block: Block) -> String {
        if block.kind == .paragraph, block.isWrappedText { return escape(block.runningText) }
        return block.lines.map { escape($0.text) }.joined(separator: "  \n")
    }

    /// `- item` or `3. item`: the recognised marker becomes Markdown's own.
    static func listItem(_ block: Block) -> String {
        let text = block.runningText
        let parts = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard let first = parts.first else { return "" }
        let rest = parts.count > 1 ? String(parts[1]) : ""
        if let number = first.range(of: #"^\(?\d{1,3}[.)]$"#, options: .regularExpression).map({ first[$0] }) {
            let digits = number.filter(\.isNumber)
            return "\(digits). " + escapeInline(rest)
        }
        if first.range(of: #"^\(?[a-z]{1,4}[.)]$"#, options: .regularExpression) != nil {
            return "- " + escape(String(first)) + " " + escapeInline(rest)
        }
        if first.count == 1 { return "- " + escapeInline(rest) }
        // A bullet glued to its word.
        return "- " + escapeInline(String(text.dropFirst()).trimmingCharacters(in: .whitespaces))
    }

    /// A GitHub-flavoured pipe table, its first row as the header row.
    static func pipeTable(_ table: Table) -> String {
        let grid = table.grid.map { row in row.map { cell in cell.isEmpty ? " " : escapeInline(cell) } }
        var lines: [String] = []
        for (position, row) in grid.enumerated() {
            lines.append("| " + row.joined(separator: " | ") + " |")
            if position == 0 { lines.append("|" + Array(repeating: " --- |", count: table.columnCount).joined()) }
        }
        return lines.joined(separator: "\n")
    }

    /// Escapes text that follows markup on its line (no block markers to guard against).
    static func escapeInline(_ text: String) -> String {
        var result = escape(text)
        if result.hasPrefix("\\"), let first = text.first, "#+-=".contains(first) { result.removeFirst() }
        return result
    }

    /// Escapes what would otherwise become markup or HTML.
    static func escape(_ line: String) -> String {
        var result = ""
        for character in line {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|":
                result.append("\\")
                result.append(character)
            default:
                result.append(character)
            }
        }
        // A line starting with these would become a heading, list item or rule.
        if let first = result.first, "#+-=".contains(first) {
            result.insert("\\", at: result.startIndex)
        } else if let marker = result.range(of: #"^\d+[.)](?= |$)"#, options: .regularExpression) {
            result.insert("\\", at: result.index(before: marker.upperBound))
        }
        return result
    }
}
