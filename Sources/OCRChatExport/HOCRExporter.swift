import Foundation
import OCRChatModel

/// hOCR 1.2: well-formed XHTML with an `ocr_page` per page, an `ocr_carea` holding one `ocr_par` per
/// block, an `ocr_line` per line and an `ocrx_word` per word, each with its `bbox` in page pixels.
///
/// Words carry `x_wconf` as a whole percentage (0–100), the unit hOCR readers expect. Pages carry
/// `ppageno` counted from 0, as Tesseract writes it. The model keeps no file name, so `image` is
/// written only when the caller names the image (`init(imageName:)`).
public struct HOCRExporter: DocumentExporter {
    /// The source image's file name for every page's `image` property, or nil to leave it out.
    public var imageName: String?

    /// An exporter; `imageName` names the source file in each page's `image` property.
    public init(imageName: String? = nil) {
        self.imageName = imageName
    }

    /// What the file declares it contains, as hOCR's `ocr-capabilities` wants.
    static let capabilities = "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf"

    /// The document as UTF-8 XHTML bytes.
    public func export(_ document: Document) throws -> Data {
        Data(render(document).utf8)
    }

    /// The hOCR as a string.
    public func render(_ document: Document) -> String {
        var html = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" \
            "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
            <html xmlns="http://www.w3.org/1999/xhtml"\(Self.languageAttributes(document.detectedLanguages.first))>
             <head>
              <title>\(XMLEscaping.text("ocrchat: \(document.sourceFormat), \(document.pageCount) page(s)"))</title>
              <meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>
              <meta name="ocr-system" content="ocrchat"/>
              <meta name="ocr-capabilities" content="\(Self.capabilities)"/>
              <meta name="ocr-number-of-pages" content="\(document.pageCount)"/>
             </head>
             <body>

            """
        for page in document.pages {
            html += pageDivision(page)
        }
        html += " </body>\n</html>\n"
        return html
    }

    /// One `ocr_page`. Ids count from 1 and nest (`word_2_1_3_4` is page 2, block 1, line 3, word 4),
    /// which keeps them unique across the file as XHTML requires.
    private func pageDivision(_ page: Page) -> String {
        let pageNumber = page.index + 1
        var properties: [String] = []
        if let imageName {
            // The name is a quoted string inside the title; a quote in it would end the string early.
            properties.append("image \"\(imageName.replacingOccurrences(of: "\"", with: ""))\"")
        }
        properties.append("bbox 0 0 \(page.width) \(page.height)")
        properties.append("ppageno \(page.index)")
        let language = Self.languageAttributes(page.languageTags.first)
        var html = "  <div class=\"ocr_page\" id=\"page_\(pageNumber)\"\(language) title=\"\(Self.title(properties))\">\n"
        for (blockPosition, block) in page.blocks.enumerated() {
            let blockID = "\(pageNumber)_\(blockPosition + 1)"
            let box = Self.bbox(block.bbox)
            // `dir` lets a browser showing the file lay Arabic or Hebrew paragraphs out right to left.
            let direction = TextDirection.isMostlyRightToLeft(block.text) ? " dir=\"rtl\"" : ""
            html += "   <div class=\"ocr_carea\" id=\"block_\(blockID)\" title=\"\(box)\">\n"
            html += "    <p class=\"ocr_par\" id=\"par_\(blockID)\"\(direction) title=\"\(box)\">\n"
            for (linePosition, line) in block.lines.enumerated() {
                let lineID = "\(blockID)_\(linePosition + 1)"
                html += "     <span class=\"ocr_line\" id=\"line_\(lineID)\" title=\"\(Self.bbox(line.bbox))\">"
                // A plain space between words, so that the text of a line reads as the line.
                html += line.words.enumerated().map { wordPosition, word in
                    let title = Self.title([Self.bbox(word.bbox), "x_wconf \(NumberFormatting.percent(word.confidence))"])
                    return "<span class=\"ocrx_word\" id=\"word_\(lineID)_\(wordPosition + 1)\" title=\"\(title)\">"
                        + XMLEscaping.text(word.text) + "</span>"
                }.joined(separator: " ")
                html += "</span>\n"
            }
            html += "    </p>\n   </div>\n"
        }
        return html + "  </div>\n"
    }

    /// A `title` attribute's value: properties separated by `; `, escaped for the attribute.
    /// ` lang="fr" xml:lang="fr"` (hOCR names a page's language with `lang`; XHTML wants both), or nothing.
    private static func languageAttributes(_ tag: String?) -> String {
        guard let tag else { return "" }
        let value = XMLEscaping.attribute(tag)
        return " lang=\"\(value)\" xml:lang=\"\(value)\""
    }

    private static func title(_ properties: [String]) -> String {
        XMLEscaping.attribute(properties.joined(separator: "; "))
    }

    /// The `bbox` property: left, top, right, bottom in page pixels.
    private static func bbox(_ box: BoundingBox) -> String {
        "bbox \(box.x0) \(box.y0) \(box.x1) \(box.y1)"
    }
}
