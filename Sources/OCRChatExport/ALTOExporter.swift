import Foundation
import OCRChatModel

/// ALTO v4 XML, the layout format of libraries and archives: a `Page` per page holding one
/// `PrintSpace`, a `TextBlock` per block, a `TextLine` per line and a `String` per word, with `SP`
/// between words. Positions are in pixels (`MeasurementUnit` pixel) from the page's top-left corner,
/// and `WC` is the word confidence in 0…1.
///
/// Files are named `.alto.xml`: the `.xml` lets any XML tool open them, and the `alto` tells them
/// apart from the other XML a pipeline keeps beside them (METS, PAGE), as digitisation projects do.
public struct ALTOExporter: DocumentExporter {
    /// An exporter; it holds no settings.
    public init() {}

    /// The ALTO namespace, version 4.
    static let namespace = "http://www.loc.gov/standards/alto/ns-v4#"

    /// The document as UTF-8 XML bytes.
    public func export(_ document: Document) throws -> Data {
        Data(render(document).utf8)
    }

    /// The ALTO as a string.
    public func render(_ document: Document) -> String {
        let settings = "engine \(document.engine); tier \(document.tier); language \(document.requestedLanguage); "
            + "source \(document.sourceFormat)"
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <alto xmlns="\(Self.namespace)" xmlns:xlink="http://www.w3.org/1999/xlink" \
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
            xsi:schemaLocation="\(Self.namespace) http://www.loc.gov/alto/v4/alto-4-2.xsd" SCHEMAVERSION="4.2">
              <Description>
                <MeasurementUnit>pixel</MeasurementUnit>
                <Processing ID="processing_1">
                  <processingCategory>contentGeneration</processingCategory>
                  <processingStepSettings>\(XMLEscaping.text(settings))</processingStepSettings>
                  <processingSoftware>
                    <softwareName>ocrchat</softwareName>
                  </processingSoftware>
                </Processing>
              </Description>
              <Layout>

            """
        for page in document.pages {
            xml += Self.pageElement(page)
        }
        xml += "  </Layout>\n</alto>\n"
        return xml
    }

    /// One `Page`. IDs are XML IDs, unique in the whole file, so they nest the positions
    /// (`string_2_1_3_4` is page 2, block 1, line 3, word 4), counted from 1.
    private static func pageElement(_ page: Page) -> String {
        let pageNumber = page.index + 1
        var xml = "    <Page ID=\"page_\(pageNumber)\" PHYSICAL_IMG_NR=\"\(pageNumber)\" "
            + "WIDTH=\"\(page.width)\" HEIGHT=\"\(page.height)\">\n"
        // The model does not tell print space from margins, so the print space is the whole page.
        xml += "      <PrintSpace ID=\"printspace_\(pageNumber)\" HPOS=\"0\" VPOS=\"0\" "
            + "WIDTH=\"\(page.width)\" HEIGHT=\"\(page.height)\">\n"
        // ALTO names the language of text on its blocks (`LANG`, xsd:language).
        let language = page.languageTags.first.map { " LANG=\"\(XMLEscaping.attribute($0))\"" } ?? ""
        for (blockPosition, block) in page.blocks.enumerated() {
            let blockID = "\(pageNumber)_\(blockPosition + 1)"
            xml += "        <TextBlock ID=\"block_\(blockID)\" \(position(block.bbox))\(language)>\n"
            for (linePosition, line) in block.lines.enumerated() where !line.words.isEmpty {
                // ALTO requires at least one String in a TextLine, so a line without words is left out.
                let lineID = "\(blockID)_\(linePosition + 1)"
                xml += "          <TextLine ID=\"line_\(lineID)\" \(position(line.bbox))>\n"
                for (wordPosition, word) in line.words.enumerated() {
                    if wordPosition > 0 {
                        xml += "            " + space(after: line.words[wordPosition - 1].bbox, before: word.bbox) + "\n"
                    }
                    xml += "            <String ID=\"string_\(lineID)_\(wordPosition + 1)\" \(position(word.bbox)) "
                        + "CONTENT=\"\(XMLEscaping.attribute(word.text))\" "
                        + "WC=\"\(NumberFormatting.confidence(word.confidence))\"/>\n"
                }
                xml += "          </TextLine>\n"
            }
            xml += "        </TextBlock>\n"
        }
        return xml + "      </PrintSpace>\n    </Page>\n"
    }

    /// The `SP` between two words: the gap between their boxes (zero wide when they touch or
    /// overlap), at the height of the earlier word. The boxes are ordered by position first, since in
    /// a right-to-left line the next word in reading order lies to the left.
    private static func space(after previous: BoundingBox, before next: BoundingBox) -> String {
        let (left, right) = previous.x0 <= next.x0 ? (previous, next) : (next, previous)
        let width = max(right.x0 - left.x1, 0)
        return "<SP HPOS=\"\(left.x1)\" VPOS=\"\(previous.y0)\" WIDTH=\"\(width)\" HEIGHT=\"\(previous.height)\"/>"
    }

    /// `HPOS`, `VPOS`, `WIDTH` and `HEIGHT` of a box.
    private static func position(_ box: BoundingBox) -> String {
        "HPOS=\"\(box.x0)\" VPOS=\"\(box.y0)\" WIDTH=\"\(box.width)\" HEIGHT=\"\(box.height)\""
    }
}
