import Foundation
import OCRChatExport
import OCRChatModel

/// What the API's job object shows of a finished reading (`../shared/API.md`): its text, Markdown,
/// pages down to the words, and how it was made.
///
/// The reader that made the document writes it once as JSON beside the result (`ConversionJob.reading`),
/// so that the server answers a GET of a finished job with these bytes rather than decoding the
/// result and encoding its pages again each time (a 50-page document's job object is 2.4 MB: a
/// quarter of a second of the server's time per GET).
public struct JobReading: Encodable, Sendable {
    public var meanConfidence: Double?
    public var text: String
    public var markdown: String
    public var pages: [Page]
    /// The languages found (BCP 47 tags, the most text first); the job's `language` stays what was asked.
    public var detectedLanguages: [String]
    public var engine: String?
    /// What the caller should know about how the result was made (always present, often empty).
    public var warnings: [String]
    /// The whole text translated, with `tool=translate`; `text` stays the original.
    public var translation: String?

    /// The reading of `document`; nil: a job not done yet (empty text, no pages).
    public init(_ document: Document?) {
        meanConfidence = document?.meanConfidence.roundedForOutput
        text = document?.text ?? ""
        markdown = document.map { MarkdownExporter().render($0) } ?? ""
        pages = document?.pages ?? []
        detectedLanguages = document?.detectedLanguages ?? []
        engine = document?.engine
        warnings = document?.warnings ?? []
        translation = document?.translation
    }

    enum CodingKeys: String, CodingKey {
        case text, markdown, pages, engine, warnings, translation
        case detectedLanguages = "detected_languages"
        case meanConfidence = "mean_confidence"
    }

    /// The result file (the document) and the reading, with the pages encoded once for both.
    public static func files(of document: Document) throws -> (result: Data, reading: Data) {
        let encoder = JSONEncoder()
        let pages = try encoder.encode(document.pages)
        var reading = JobReading(document)
        reading.pages = []
        let bareReading = try encoder.encode(reading)
        encoder.userInfo[Document.pagesLeftOut] = true
        let bareResult = try encoder.encode(document)
        return (try JSONPages.filling(bareResult, with: pages), try JSONPages.filling(bareReading, with: pages))
    }
}

/// Puts encoded pages into a JSON object written with `"pages":[]`.
enum JSONPages {
    struct NoPlace: Error {}

    /// `json` with its one `"pages":[]` holding `pages`. Inside a string a quote is escaped, so the
    /// sequence stands only as a key; anything but exactly one of it is refused.
    static func filling(_ json: Data, with pages: Data) throws -> Data {
        let marker = Data(#""pages":[]"#.utf8)
        guard let place = json.range(of: marker), json.range(of: marker, in: place.upperBound..<json.endIndex) == nil else {
            throw NoPlace()
        }
        var filled = Data(capacity: json.count + pages.count)
        filled.append(json[json.startIndex..<place.lowerBound])
        filled.append(Data(#""pages":"#.utf8))
        filled.append(pages)
        filled.append(json[place.upperBound..<json.endIndex])
        return filled
    }
}
