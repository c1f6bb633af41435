import Foundation

/// What a batch as a whole can fail at (one file's failure is a result, not an error).
public enum BatchError: Error, Equatable, Sendable {
    /// The format list names something that cannot be written.
    case invalidFormat(String)
    /// A folder is missing, not a folder, or overlaps with the other one.
    case invalidFolder(String)
    /// An output, the manifest or the report could not be written.
    case writeFailed(path: String, detail: String)
}

extension BatchError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidFormat(let message), .invalidFolder(let message):
            return message
        case .writeFailed(let path, let detail):
            return "cannot write \(path): \(detail)"
        }
    }
}
