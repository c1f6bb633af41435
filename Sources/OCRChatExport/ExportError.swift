/// Why a document could not be exported; the description is one line a user can act on.
public enum ExportError: Error, Equatable, CustomStringConvertible {
    /// A part of a packaged format (a DOCX part) could not be written into its archive.
    case packagingFailed(part: String, reason: String)
    /// A table row had a different number of cells than its header, which would shift every column after it.
    case rowWidthMismatch(row: Int, expected: Int, found: Int)
    /// The format is built from the source file as well as the document (a searchable PDF), so it
    /// cannot be exported from the document alone.
    case sourceRequired(format: String)

    /// One line saying what failed and why.
    public var description: String {
        switch self {
        case .packagingFailed(let part, let reason):
            return "could not write \(part) into the document package: \(reason)"
        case .rowWidthMismatch(let row, let expected, let found):
            return "table row \(row) has \(found) cells where the header has \(expected)"
        case .sourceRequired(let format):
            return "the \(format) format is made from the original file as well as the text: write it with SearchablePDFWriter and the file's bytes"
        }
    }
}
