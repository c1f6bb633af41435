import Foundation
import OCRChatModel
import ZIPFoundation

/// A Word document (Office Open XML, `.docx`): headings in Word's heading styles, paragraphs (wrapped
/// lines joined, other lines kept apart by line breaks), list items indented, tables as real Word
/// tables (merged cells merged), and a page break wherever a new source page begins.
///
/// A block whose letters are mostly right-to-left (Arabic, Hebrew) becomes a right-to-left paragraph,
/// so that Word and LibreOffice lay it out and align it as the reader expects.
public struct DOCXExporter: DocumentExporter {
    /// An exporter; it holds no settings.
    public init() {}

    /// The document as the bytes of a `.docx` package.
    public func export(_ document: Document) throws -> Data {
        try Self.package([
            // [Content_Types].xml first, as Word writes it: tools such as `file` look for it at the start
            // to tell a Word document from any other zip.
            (Part.contentTypes, Self.contentTypesXML),
            (Part.packageRelationships, Self.packageRelationshipsXML),
            (Part.document, Self.documentXML(document)),
            (Part.documentRelationships, Self.documentRelationshipsXML),
            (Part.styles, Self.stylesXML),
            (Part.numbering, Self.numberingXML(Self.numberedLists(document))),
            (Part.coreProperties, Self.corePropertiesXML(document)),
            (Part.appProperties, Self.appPropertiesXML(document)),
        ])
    }

    /// The paths of the parts inside the package.
    enum Part {
        static let contentTypes = "[Content_Types].xml"
        static let packageRelationships = "_rels/.rels"
        static let document = "word/document.xml"
        static let documentRelationships = "word/_rels/document.xml.rels"
        static let styles = "word/styles.xml"
        static let numbering = "word/numbering.xml"
        static let coreProperties = "docProps/core.xml"
        static let appProperties = "docProps/app.xml"
    }

    // MARK: The body

    /// `word/document.xml`: the paragraphs, then one section with A4 pages and 2.5 cm margins.
    static func documentXML(_ document: Document) -> String {
        var body = ""
        var lists = ListNumbering()
        for (position, page) in document.pages.enumerated() {
            // The break stands in a paragraph of its own: put at the start of the next page's first
            // paragraph instead, LibreOffice merges two breaks in a row and an empty source page
            // disappears.
            if position > 0 { body += pageBreakParagraph }
            // An empty page keeps one empty paragraph, so that every source page is a page here.
            if page.blocks.isEmpty { body += paragraph(text: "") }
            var pageBody = ""
            for block in page.blocks {
                pageBody += element(for: block, numbering: lists.next(block))
            }
            body += markingLanguage(of: pageBody, tag: page.languageTags.first)
        }
        // A body needs at least one paragraph for Word to open it without complaint.
        if body.isEmpty { body = paragraph(text: "") }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="\(Namespace.wordprocessing)" xmlns:r="\(Namespace.relationships)">\
            <w:body>\(body)<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>\
            <w:pgMar w:top="1417" w:right="1417" w:bottom="1417" w:left="1417" w:header="708" w:footer="708" w:gutter="0"/>\
            </w:sectPr></w:body></w:document>
            """
    }

    /// One block as WordprocessingML; `numbering` is the Word list a list item belongs to, if any.
    static func element(for block: Block, numbering: ListNumbering.Item? = nil) -> String {
        switch block.kind {
        case .heading:
            let level = min(max(block.level ?? 1, 1), 3)
            return paragraph(text: block.runningText, properties: #"<w:pStyle w:val="Heading\#(level)"/>"#)
        case .listItem:
            // Word draws the bullet or number itself (and renumbers when the list is edited).
            if let numbering {
                return paragraph(text: numbering.text,
                                 properties: #"<w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="\#(numbering.numberID)"/></w:numPr>"#)
            }
            return paragraph(text: block.runningText, properties: #"<w:pStyle w:val="ListParagraph"/><w:ind w:left="720" w:hanging="360"/>"#)
        case .table:
            guard let table = block.table, table.rowCount > 0, table.columnCount > 0 else { return paragraph(text: block.text) }
            // A paragraph after every table: Word wants one between two tables and before the section end.
            return self.table(table) + "<w:p/>"
        case .keyValue:
            let text = block.runningText
            guard let colon = text.firstIndex(of: ":") else { return paragraph(text: text) }
            let value = String(text[text.index(after: colon)...])
            return "<w:p><w:r><w:rPr><w:b/></w:rPr>\(runContent(String(text[...colon])))</w:r><w:r>\(runContent(value))</w:r></w:p>"
        case .caption:
            return paragraph(text: block.runningText, properties: #"<w:pStyle w:val="Caption"/>"#)
        case .paragraph, .header, .footer:
            return paragraph(text: block.kind == .paragraph && block.isWrappedText ? block.runningText : block.text)
        }
    }

    /// A Word table: a grid column per table column, merged cells with `gridSpan` and `vMerge`.
    static func table(_ table: Table) -> String {
        var covered: [[(rowSpan: Int, columnSpan: Int, first: Bool)?]] =
            Array(repeating: Array(repeating: nil, count: table.columnCount), count: table.rowCount)
        var texts = Array(repeating: Array(repeating: "", count: table.columnCount), count: table.rowCount)
        for cell in table.cells where cell.row < table.rowCount && cell.column < table.columnCount {
            let rows = min(cell.rowSpan, table.rowCount - cell.row), columns = min(cell.columnSpan, table.columnCount - cell.column)
            for row in cell.row..<(cell.row + rows) {
                covered[row][cell.column] = (rows, columns, row == cell.row)
                for column in (cell.column + 1)..<max(cell.column + columns, cell.column + 1) where column < table.columnCount {
                    covered[row][column] = (0, 0, false)  // inside a horizontal span: no cell of its own
                }
            }
            texts[cell.row][cell.column] = cell.text
        }
        let width = 9072 / table.columnCount  // A4 text width in twentieths of a point
        var xml = #"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>"#
            + "<w:tblBorders>" + ["top", "left", "bottom", "right", "insideH", "insideV"].map {
                #"<w:\#($0) w:val="single" w:sz="4" w:space="0" w:color="auto"/>"#
            }.joined() + "</w:tblBorders></w:tblPr><w:tblGrid>"
            + String(repeating: #"<w:gridCol w:w="\#(width)"/>"#, count: table.columnCount) + "</w:tblGrid>"
        for row in 0..<table.rowCount {
            xml += "<w:tr>"
            var column = 0
            while column < table.columnCount {
                let span = covered[row][column]
                if let span, span.columnSpan == 0 { column += 1; continue }
                let columns = max(span?.columnSpan ?? 1, 1)
                var properties = #"<w:tcW w:w="\#(width * columns)" w:type="dxa"/>"#
                if columns > 1 { properties += #"<w:gridSpan w:val="\#(columns)"/>"# }
                if let span, span.rowSpan > 1 { properties += span.first ? #"<w:vMerge w:val="restart"/>"# : "<w:vMerge/>" }
                let text = span?.first == false ? "" : texts[row][column]
                xml += "<w:tc><w:tcPr>\(properties)</w:tcPr>\(paragraph(text: text))</w:tc>"
                column += columns
            }
            xml += "</w:tr>"
        }
        return xml + "</w:tbl>"
    }

    /// Every run of a page's paragraphs marked with the page's language, so that Word checks its
    /// spelling and hyphenates it as that language. `w:lang` goes last in a run's properties, where
    /// the schema orders it; East Asian and right-to-left languages are named in their own attribute too.
    static func markingLanguage(of xml: String, tag: String?) -> String {
        guard let tag, !xml.isEmpty else { return xml }
        let primary = tag.split(separator: "-").first.map(String.init) ?? tag
        var attributes = "w:val=\"\(XMLEscaping.attribute(tag))\""
        if ["zh", "ja", "ko"].contains(primary) { attributes += " w:eastAsia=\"\(XMLEscaping.attribute(tag))\"" }
        if ["ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "syr"].contains(primary) {
            attributes += " w:bidi=\"\(XMLEscaping.attribute(tag))\""
        }
        let language = "<w:lang \(attributes)/>"
        return xml.replacingOccurrences(of: "</w:rPr>", with: language + "</w:rPr>")
            .replacing(#/<w:r>(?!<w:rPr>)/#, with: "<w:r><w:rPr>\(language)</w:rPr>")
    }

    /// A paragraph holding only a page break.
    static let pageBreakParagraph = #"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#

    /// One paragraph of text, every line end turned into `<w:br/>`; right to left when its letters mostly are.
    static func paragraph(text: String, properties: String = "") -> String {
        guard !text.isEmpty else { return properties.isEmpty ? "<w:p/>" : "<w:p><w:pPr>\(properties)</w:pPr></w:p>" }
        if TextDirection.isMostlyRightToLeft(text) {
            return "<w:p><w:pPr>\(properties)<w:bidi/></w:pPr><w:r><w:rPr><w:rtl/></w:rPr>\(runContent(text))</w:r></w:p>"
        }
        if !properties.isEmpty { return "<w:p><w:pPr>\(properties)</w:pPr><w:r>\(runContent(text))</w:r></w:p>" }
        return "<w:p><w:r>\(runContent(text))</w:r></w:p>"
    }

    /// The inside of a run. A line end or tab inside `<w:t>` would be shown as a space, so they
    /// become `<w:br/>` and `<w:tab/>`; this also covers a line end inside a word from a text layer.
    static func runContent(_ text: String) -> String {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { line in
            line.split(separator: "\t", omittingEmptySubsequences: false).map { piece in
                piece.isEmpty ? "" : #"<w:t xml:space="preserve">"# + XMLEscaping.text(String(piece)) + "</w:t>"
            }.joined(separator: "<w:tab/>")
        }.joined(separator: "<w:br/>")
    }

    // MARK: The package

    /// A fixed time for every entry, so that the same document always gives the same bytes (the
    /// model carries no date of its own). Noon, so that no time zone moves it out of 2000.
    private static let entryDate = Date(timeIntervalSince1970: 946_728_000)

    /// Zips the parts in memory, deflated.
    static func package(_ parts: [(path: String, xml: String)]) throws -> Data {
        let archive: Archive
        do {
            archive = try Archive(accessMode: .create)
        } catch {
            throw ExportError.packagingFailed(part: "the archive", reason: "\(error)")
        }
        for (path, xml) in parts {
            let bytes = Data(xml.utf8)
            do {
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count),
                                     modificationDate: entryDate, compressionMethod: .deflate) { position, size in
                    let start = Int(position)
                    return bytes.subdata(in: start..<min(start + size, bytes.count))
                }
            } catch {
                throw ExportError.packagingFailed(part: path, reason: "\(error)")
            }
        }
        guard let data = archive.data else {
            throw ExportError.packagingFailed(part: "the archive", reason: "the in-memory archive has no data")
        }
        return data
    }
}
