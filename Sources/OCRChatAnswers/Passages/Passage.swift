import Foundation
import OCRChatModel

/// One line of a passage, with its box on the page.
public struct PassageLine: Sendable, Equatable {
    /// The line's text as recognised.
    public var text: String
    /// Box around the line in page pixels.
    public var bbox: BoundingBox
    /// Its words with their boxes (empty when only the line's box is known): where a table's cells are.
    public var words: [Word]

    /// A line of text at `bbox`, with its `words` when known.
    public init(text: String, bbox: BoundingBox, words: [Word] = []) {
        self.text = text
        self.bbox = bbox
        self.words = words
    }
}

/// A piece of a document small enough to rank and quote: one block (paragraph), or a run of its
/// lines when the block is long. It keeps where it came from, so an answer can cite it.
public struct Passage: Sendable, Equatable, Identifiable {
    /// Position in the document's passage list.
    public var id: Int
    /// The page it is on, 1-based as people count pages.
    public var page: Int
    /// The block it came from, 0-based within the page.
    public var block: Int
    /// Box around its lines in page pixels.
    public var bbox: BoundingBox
    /// Its lines, top to bottom.
    public var lines: [PassageLine]

    /// A passage of `lines` from block `block` of page `page` (1-based).
    public init(id: Int, page: Int, block: Int, bbox: BoundingBox, lines: [PassageLine]) {
        self.id = id
        self.page = page
        self.block = block
        self.bbox = bbox
        self.lines = lines
    }

    /// The passage's text, one line per line.
    public var text: String { lines.map(\.text).joined(separator: "\n") }
}

extension Document {
    /// The document cut into passages: each block, and a long block in runs of at most `maxLines`
    /// lines, in reading order. Empty lines are dropped; a page without text gives no passage.
    public func passages(maxLines: Int = 6) -> [Passage] {
        var passages: [Passage] = []
        for page in pages {
            for (blockIndex, block) in page.blocks.enumerated() {
                let lines = block.lines.compactMap { line -> PassageLine? in
                    let text = line.text.trimmingCharacters(in: .whitespaces)
                    return text.isEmpty ? nil : PassageLine(text: text, bbox: line.bbox, words: line.words.filter { !$0.text.isEmpty })
                }
                var start = 0
                while start < lines.count {
                    let run = Array(lines[start..<min(start + max(1, maxLines), lines.count)])
                    passages.append(Passage(id: passages.count, page: page.index + 1, block: blockIndex,
                                            bbox: BoundingBox.union(run.map(\.bbox)) ?? block.bbox, lines: run))
                    start += run.count
                }
            }
        }
        return passages
    }
}
