/// The result of reading one file: its pages, in order, with everything recognised on them.
///
/// Plain values only: every exporter, the server and the tests read this and nothing else.
public struct Document: Codable, Sendable, Equatable {
    /// The pages, in file order.
    public var pages: [Page]
    /// The language the caller asked for (`auto`, `en`, `deu+eng`, …).
    public var requestedLanguage: String
    /// The tier the caller asked for (`cpu` or `vlm`).
    public var tier: String
    /// The engine profile that actually ran, so that nothing pretends to be what it is not.
    public var engine: String
    /// The kind of file that was read (`png`, `pdf`, `tiff`, …), recognised from its bytes.
    public var sourceFormat: String
    /// What the caller should know about how the result was made (a tool that could not do all it
    /// promises here, say); empty when there is nothing to say.
    public var warnings: [String] = []
    /// The language the text was translated into (`spa`…), when a translation was asked for; the
    /// translation itself is on each block, beside the original.
    public var translatedTo: String?

    public init(pages: [Page], requestedLanguage: String, tier: String, engine: String, sourceFormat: String) {
        self.pages = pages
        self.requestedLanguage = requestedLanguage
        self.tier = tier
        self.engine = engine
        self.sourceFormat = sourceFormat
    }

    /// The number of pages.
    public var pageCount: Int { pages.count }

    /// The text of every page, pages separated by a blank line.
    public var text: String { pages.map(\.text).joined(separator: "\n\n") }

    /// The languages found in the document (BCP 47 tags: `fr`, `en`, `zh-Hans`), the language of
    /// the most text first: what its pages were read with, or identified as on a text-layer page.
    /// Under `auto` this is what was found; `requestedLanguage` stays what the caller asked.
    public var detectedLanguages: [String] {
        var letters: [String: Int] = [:]
        var order: [String] = []
        for page in pages {
            let tags = page.languageTags
            for tag in tags where letters[tag] == nil { order.append(tag) }
            for tag in tags { letters[tag, default: 0] += page.text.count / tags.count }
        }
        return order.enumerated().sorted { (letters[$0.element]!, -$0.offset) > (letters[$1.element]!, -$1.offset) }.map(\.element)
    }

    /// Mean word confidence over the whole document, in 0…1 (0 when no word was found).
    public var meanConfidence: Double { pages.flatMap(\.words).meanConfidence }

    enum CodingKeys: String, CodingKey {
        case pages
        case requestedLanguage = "language"
        case tier
        case engine
        case sourceFormat = "source_format"
        case pageCount = "page_count"
        case meanConfidence = "mean_confidence"
        case detectedLanguages = "detected_languages"
        case text
        case warnings
        case translatedTo = "translated_to"
        case translation
    }

    /// The translated text of every page (pages separated by a blank line), nil without a translation.
    public var translation: String? {
        translatedTo == nil ? nil : pages.map { $0.translation ?? $0.text }.joined(separator: "\n\n")
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        pages = try container.decode([Page].self, forKey: .pages)
        warnings = try container.decodeIfPresent([String].self, forKey: .warnings) ?? []
        translatedTo = try container.decodeIfPresent(String.self, forKey: .translatedTo)
        requestedLanguage = try container.decode(String.self, forKey: .requestedLanguage)
        tier = try container.decode(String.self, forKey: .tier)
        engine = try container.decode(String.self, forKey: .engine)
        sourceFormat = try container.decode(String.self, forKey: .sourceFormat)
    }

    /// An encoder whose `userInfo` holds `true` under this key writes `"pages":[]` and all else as
    /// always (the text and figures of the real pages): the pages are encoded once and put in its
    /// place, so that the job's files share one encoding of them (`JSONPages`, OCRChatConversion).
    public static let pagesLeftOut = CodingUserInfoKey(rawValue: "ocrchat.document.pagesLeftOut")!

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tier, forKey: .tier)
        try container.encode(requestedLanguage, forKey: .requestedLanguage)
        try container.encode(engine, forKey: .engine)
        try container.encode(sourceFormat, forKey: .sourceFormat)
        try container.encode(pageCount, forKey: .pageCount)
        try container.encode(meanConfidence.roundedForOutput, forKey: .meanConfidence)
        try container.encode(detectedLanguages, forKey: .detectedLanguages)
        try container.encode(text, forKey: .text)
        if !warnings.isEmpty { try container.encode(warnings, forKey: .warnings) }
        if let translatedTo {
            try container.encode(translatedTo, forKey: .translatedTo)
            try container.encode(translation, forKey: .translation)
        }
        try container.encode(encoder.userInfo[Self.pagesLeftOut] as? Bool == true ? [] : pages, forKey: .pages)
    }
}

/// How a page's text was obtained.
public enum TextSource: String, Codable, Sendable {
    /// Recognised from the page image by OCR.
    case ocr
    /// Taken from a PDF's own text layer (a born-digital page): exact, not re-recognised.
    case textLayer = "text-layer"
}

/// One page: its size in pixels, how its text was obtained, and its blocks in reading order.
public struct Page: Codable, Sendable, Equatable {
    /// 0-based position in the file.
    public var index: Int
    /// Width of the page image in pixels (after any rotation was applied).
    public var width: Int
    /// Height of the page image in pixels (after any rotation was applied).
    public var height: Int
    /// Resolution of the page image; for a PDF the resolution it was rendered (or measured) at.
    /// 0 when the image does not say (no resolution tag): written as `null` in JSON, not as a
    /// resolution of 0.
    public var dpi: Int
    /// Clockwise rotation in degrees (0, 90, 180, 270) that was applied to turn the page upright.
    public var rotation: Int
    /// How the text was obtained.
    public var source: TextSource
    /// The Tesseract language(s) the page was read with (`eng`, `rus`, `deu+eng`); on a text-layer
    /// page the language its text was identified as, empty when it could not be.
    public var language: String
    /// The blocks (paragraphs) in reading order.
    public var blocks: [Block]
    /// Ruling lines found in the page image (table borders, separators); nil when not looked for.
    public var rulings: [Ruling]?
    /// What produced this page's text when it differs from the document's engine (the vlm tier
    /// records per page what its pipeline or a vision model did); nil otherwise.
    public var engine: String?

    public init(index: Int, width: Int, height: Int, dpi: Int, rotation: Int, source: TextSource,
                language: String, blocks: [Block], rulings: [Ruling]? = nil) {
        self.index = index
        self.width = width
        self.height = height
        self.dpi = dpi
        self.rotation = rotation
        self.source = source
        self.language = language
        self.blocks = blocks
        self.rulings = rulings
    }

    /// The page's text: lines separated by a newline, blocks by a blank line.
    public var text: String { blocks.map(\.text).joined(separator: "\n\n") }

    /// The page's translated text (blocks separated by a blank line), nil when not translated.
    public var translation: String? {
        blocks.contains { $0.translation != nil } ? blocks.map { $0.translation ?? $0.text }.joined(separator: "\n\n") : nil
    }

    /// The BCP 47 tags of `language` (`fra+eng` → `fr`, `en`); none for a script model (`Latin`).
    public var languageTags: [String] { LanguageCatalog.tags(of: language) }

    /// Every word on the page, in reading order.
    public var words: [Word] { blocks.flatMap { $0.lines.flatMap(\.words) } }

    /// Mean word confidence on the page, in 0…1 (0 when no word was found).
    public var meanConfidence: Double { words.meanConfidence }

    enum CodingKeys: String, CodingKey {
        case index, width, height, dpi, rotation, source, language, text, blocks, rulings, engine, translation
        case meanConfidence = "mean_confidence"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        index = try container.decode(Int.self, forKey: .index)
        width = try container.decode(Int.self, forKey: .width)
        height = try container.decode(Int.self, forKey: .height)
        dpi = try container.decodeIfPresent(Int.self, forKey: .dpi) ?? 0
        rotation = try container.decode(Int.self, forKey: .rotation)
        source = try container.decode(TextSource.self, forKey: .source)
        language = try container.decode(String.self, forKey: .language)
        blocks = try container.decode([Block].self, forKey: .blocks)
        rulings = try container.decodeIfPresent([Ruling].self, forKey: .rulings)
        engine = try container.decodeIfPresent(String.self, forKey: .engine)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encode(width, forKey: .width)
        try container.encode(height, forKey: .height)
        if dpi > 0 { try container.encode(dpi, forKey: .dpi) } else { try container.encodeNil(forKey: .dpi) }
        try container.encode(rotation, forKey: .rotation)
        try container.encode(source, forKey: .source)
        try container.encode(language, forKey: .language)
        try container.encodeIfPresent(engine, forKey: .engine)
        try container.encode(meanConfidence.roundedForOutput, forKey: .meanConfidence)
        try container.encode(text, forKey: .text)
        try container.encodeIfPresent(translation, forKey: .translation)
        try container.encode(blocks, forKey: .blocks)
        try container.encodeIfPresent(rulings, forKey: .rulings)
    }
}

/// A block of text (a paragraph as the layout analysis found it).
public struct Block: Codable, Sendable, Equatable {
    /// Box around the block in page pixels.
    public var bbox: BoundingBox
    /// Confidence in 0…1.
    public var confidence: Double
    /// The lines, top to bottom (a table's lines are its rows, cells left to right).
    public var lines: [Line]
    /// What the block is (paragraph, heading, list item, table, …); `paragraph` until layout says otherwise.
    public var kind: BlockKind
    /// A heading's level (1 is the largest); nil for other kinds.
    public var level: Int?
    /// A table's grid and cells; nil unless `kind` is `table`.
    public var table: Table?
    /// The block's text translated (`Document.translatedTo`), line breaks kept; nil when not translated.
    public var translation: String?

    public init(bbox: BoundingBox, confidence: Double, lines: [Line], kind: BlockKind = .paragraph,
                level: Int? = nil, table: Table? = nil) {
        self.bbox = bbox
        self.confidence = confidence
        self.lines = lines
        self.kind = kind
        self.level = level
        self.table = table
    }

    /// The block's text, one line per line.
    public var text: String { lines.map(\.text).joined(separator: "\n") }

    enum CodingKeys: String, CodingKey { case text, bbox, confidence, lines, kind = "type", level, table, translation }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        bbox = try container.decode(BoundingBox.self, forKey: .bbox)
        confidence = try container.decode(Double.self, forKey: .confidence)
        lines = try container.decode([Line].self, forKey: .lines)
        kind = try container.decodeIfPresent(BlockKind.self, forKey: .kind) ?? .paragraph
        level = try container.decodeIfPresent(Int.self, forKey: .level)
        table = try container.decodeIfPresent(Table.self, forKey: .table)
        translation = try container.decodeIfPresent(String.self, forKey: .translation)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        try container.encode(kind, forKey: .kind)
        try container.encodeIfPresent(level, forKey: .level)
        try container.encodeIfPresent(translation, forKey: .translation)
        try container.encode(bbox, forKey: .bbox)
        try container.encode(confidence.roundedForOutput, forKey: .confidence)
        try container.encodeIfPresent(table, forKey: .table)
        try container.encode(lines, forKey: .lines)
    }
}

/// One line of text.
public struct Line: Codable, Sendable, Equatable {
    /// Box around the line in page pixels.
    public var bbox: BoundingBox
    /// Confidence in 0…1.
    public var confidence: Double
    /// The words in reading order.
    public var words: [Word]

    public init(bbox: BoundingBox, confidence: Double, words: [Word]) {
        self.bbox = bbox
        self.confidence = confidence
        self.words = words
    }

    /// The line's text: its words separated by single spaces.
    public var text: String { words.map(\.text).joined(separator: " ") }

    enum CodingKeys: String, CodingKey { case text, bbox, confidence, words }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        bbox = try container.decode(BoundingBox.self, forKey: .bbox)
        confidence = try container.decode(Double.self, forKey: .confidence)
        words = try container.decode([Word].self, forKey: .words)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        try container.encode(bbox, forKey: .bbox)
        try container.encode(confidence.roundedForOutput, forKey: .confidence)
        try container.encode(words, forKey: .words)
    }
}

/// One word.
public struct Word: Codable, Sendable, Equatable {
    /// The word's text (never empty).
    public var text: String
    /// Box around the word in page pixels.
    public var bbox: BoundingBox
    /// Confidence in 0…1 (1 for a word taken from a PDF text layer).
    public var confidence: Double

    public init(text: String, bbox: BoundingBox, confidence: Double) {
        self.text = text
        self.bbox = bbox
        self.confidence = confidence
    }

    enum CodingKeys: String, CodingKey { case text, bbox, confidence }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        try container.encode(bbox, forKey: .bbox)
        try container.encode(confidence.roundedForOutput, forKey: .confidence)
    }
}

extension Array where Element == Word {
    /// The words' mean confidence, in 0…1 (0 for no words): a page's, a line's, a block's.
    public var meanConfidence: Double { map(\.confidence).mean }
}

extension Array where Element == Double {
    /// The arithmetic mean, 0 for an empty array (a page or line without words has confidence 0).
    public var mean: Double { isEmpty ? 0 : reduce(0, +) / Double(count) }
}

extension Double {
    /// Four decimals are plenty for a confidence and keep the JSON readable.
    public var roundedForOutput: Double { (self * 10_000).rounded() / 10_000 }
}
