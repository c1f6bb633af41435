import Foundation
import OCRChatModel

/// The document as JSON: the fields of the job object (`page_count`, `mean_confidence`, `text`,
/// `pages` with blocks), plus lines and words with their boxes and confidences.
public struct JSONExporter: DocumentExporter {
    public init() {}

    public func export(_ document: Document) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes, .sortedKeys]
        var data = try encoder.encode(document)
        data.append(0x0A)
        return data
    }
}
