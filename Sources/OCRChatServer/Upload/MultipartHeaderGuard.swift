import NIOCore

/// Refuses a part header whose name holds a byte outside ASCII before MultipartKit sees it.
///
/// MultipartKit 4.7.1 looks such a byte up in a 128-entry table and traps (index out of range),
/// which would take the whole server down on one request; schemathesis found it. This follows
/// the body as the parser does (boundary line, header lines up to the blank line, part body)
/// and only looks at header names, so UTF-8 in values (file names) passes untouched.
struct MultipartHeaderGuard {
    private enum State {
        case body
        case boundaryLine
        case lineStart
        case name
        case value
        case blankLine
    }

    private let delimiter: [UInt8]
    private var matched: Int
    private var state = State.body

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
        matched = 2  // the body may open with the delimiter without the CRLF before it
    }

    /// Scans the next chunk of the body; throws a 400 at the first non-ASCII header-name byte.
    mutating func scan(_ chunk: ByteBuffer) throws {
        for byte in chunk.readableBytesView {
            switch state {
            case .body:
                if byte == delimiter[matched] {
                    matched += 1
                    if matched == delimiter.count {
                        matched = 0
                        state = .boundaryLine
                    }
                } else {
                    matched = byte == delimiter[0] ? 1 : 0
                }
            case .boundaryLine:
                if byte == UInt8(ascii: "\n") { state = .lineStart }
            case .lineStart:
                if byte == UInt8(ascii: "\r") {
                    state = .blankLine
                } else {
                    state = .name
                    try check(byte)
                }
            case .name:
                if byte == UInt8(ascii: ":") { state = .value } else { try check(byte) }
            case .value:
                if byte == UInt8(ascii: "\n") { state = .lineStart }
            case .blankLine:
                state = .body
                matched = 0
            }
        }
    }

    private func check(_ byte: UInt8) throws {
        if byte >= 0x80 {
            throw APIError(.badRequest, "the multipart body is malformed: a part header name is not ASCII")
        }
    }
}
