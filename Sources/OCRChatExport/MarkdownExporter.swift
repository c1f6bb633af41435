import Foundation
import OCRChatModel

/// Markdown: each block a paragraph (its lines kept as lines), a rule and a comment between pages.
///
/// Characters that Markdown would read as markup are escaped, so recognised text shows as text.
public struct MarkdownExporter: DocumentExporter {
    public init() {}

    public func export(_ document: Document) throws -> Data {
        Data(render(document).utf8)
    }

    /// The Markdown as a string (the job object carries it too).
    public func render(_ document: Document) -> String {
        var parts: [String] = []
        for page in document.pages {
            if page.index > 0 { parts.append("---\n\n<!-- page \(page.index + 1) -->") }
            for block in page.blocks {
                parts.append(block.lines.map { Self.escape($0.text) }.joined(separator: "  \n"))
            }
        }
        return parts.isEmpty ? "" : parts.joined(separator: "\n\n") + "\n"
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
