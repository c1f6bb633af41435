/// What to do with a PDF page that already has text, as OCRmyPDF names it: `convert --mode`, and
/// the upload field `mode`.
public enum TextLayerMode: String, Sendable, Codable, CaseIterable {
    case skip, redo, force

    /// What the engine is asked to do with the pages' own text.
    public var policy: TextLayerPolicy {
        switch self {
        case .skip: return .useWhenUsable
        case .redo: return .redo
        case .force: return .ignore
        }
    }
}

/// Pages to read, `1-3,7` (counted from 1; `5-` runs to the end), as OCRmyPDF's `--pages` takes
/// them: `convert --pages`, and the upload field `pages`.
public struct PageSelection: Sendable {
    /// First and last page of each range, counted from 1; nil: to the end.
    public let ranges: [(first: Int, last: Int?)]

    public init(_ text: String) throws {
        var ranges: [(first: Int, last: Int?)] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let bounds = part.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let first = Int(bounds[0]), first >= 1 else {
                throw PageSelectionError("'\(part)' is not a page or a range (pages are counted from 1: 1-3,7 or 5-)")
            }
            if bounds.count == 1 {
                ranges.append((first, first))
            } else if bounds[1].isEmpty {
                ranges.append((first, nil))
            } else if let last = Int(bounds[1]), last >= first {
                ranges.append((first, last))
            } else {
                throw PageSelectionError("'\(part)' is not a range from a page to a later one")
            }
        }
        self.ranges = ranges
    }

    /// The 0-based indexes of a file of `pageCount` pages; a page past its end is an error.
    public func indexes(pageCount: Int) throws -> Set<Int> {
        var indexes = Set<Int>()
        for (first, last) in ranges {
            let end = last ?? max(first, pageCount)
            if end > pageCount || first > pageCount {
                throw PageSelectionError("--pages asks for page \(max(first, end)) but the file has \(pageCount) page\(pageCount == 1 ? "" : "s")")
            }
            indexes.formUnion((first - 1)..<end)
        }
        return indexes
    }
}

/// Why a page selection cannot be read, or does not fit the file.
public struct PageSelectionError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
