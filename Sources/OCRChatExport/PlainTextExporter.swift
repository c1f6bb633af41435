import Foundation
import OCRChatModel

/// UTF-8 text in reading order: lines as lines, a blank line between blocks, a form feed between pages.
public struct PlainTextExporter: DocumentExporter {
    public init() {}

    public func export(_ document: Document) throws -> Data {
        var text = document.pages.map(\.text).joined(separator: "\n\u{0C}\n")
        if !text.isEmpty { text += "\n" }
        return Data(text.utf8)
    }
}
