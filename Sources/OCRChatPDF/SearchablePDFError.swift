/// Why a searchable PDF could not be written; the description is one line a user can act on.
public enum SearchablePDFError: Error, Equatable, CustomStringConvertible {
    /// Tesseract's glyphless font (`pdf.ttf`), which carries the invisible text, is in none of the folders searched.
    case fontNotFound(searched: [String])
    /// The font file exists but could not be read.
    case fontUnreadable(path: String, reason: String)
    /// The document was read from a kind of file the writer cannot rebuild pages from.
    case unsupportedSource(format: String)
    /// The source PDF is encrypted and the password given (or none) does not open it.
    case passwordRequired(detail: String)
    /// The source bytes are not a PDF qpdf can read.
    case unreadableSource(detail: String)
    /// The document names a page the source file does not have.
    case pageMismatch(page: Int, sourcePages: Int)
    /// A page image could not be decoded or embedded.
    case imageFailed(page: Int, detail: String)
    /// qpdf failed; `call` names what was being done.
    case nativeFailure(call: String, detail: String)

    /// One line saying what failed and what to do.
    public var description: String {
        switch self {
        case .fontNotFound(let searched):
            return "the glyphless font pdf.ttf (from tesseract-ocr) was not found in \(searched.joined(separator: ", ")); install tesseract-ocr or set TESSDATA_PREFIX"
        case .fontUnreadable(let path, let reason):
            return "could not read the glyphless font \(path): \(reason)"
        case .unsupportedSource(let format):
            return "a searchable PDF can be made from PNG, JPEG, WEBP, GIF, BMP, TIFF or PDF files, not from '\(format)'"
        case .passwordRequired(let detail):
            return "the PDF is encrypted and cannot be opened without its password (\(detail)); pass --password"
        case .unreadableSource(let detail):
            return "the source PDF could not be read: \(detail)"
        case .pageMismatch(let page, let sourcePages):
            return "the document has a page \(page + 1) but the source file has \(sourcePages) page\(sourcePages == 1 ? "" : "s"); was it read from another file?"
        case .imageFailed(let page, let detail):
            return "the image of page \(page + 1) could not be put into the PDF: \(detail)"
        case .nativeFailure(let call, let detail):
            return "\(call) failed: \(detail)"
        }
    }
}
