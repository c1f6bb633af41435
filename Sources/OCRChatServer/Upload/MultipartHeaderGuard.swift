import Foundation
import NIOCore

/// Refuses a part header whose name holds a byte outside ASCII, and mends a header value that is
/// not UTF-8, before MultipartKit sees them.
///
/// MultipartKit 4.7.1 looks a non-ASCII name byte up in a 128-entry table and traps (index out of
/// range), which would take the whole server down on one request; schemathesis found it. It also
/// turns a header value that is not UTF-8 into an empty string, so that a file named in Latin-1
/// (`r\xE9sum\xE9.pdf`, as old Windows clients send it) lost its part: "no file". This follows the
/// body as the parser does (boundary line, header lines up to the blank line, part body): UTF-8
/// in values passes untouched, a run of bytes that is not UTF-8 is read as Latin-1 (every byte is
/// a character there) and passed on as UTF-8, and the part bodies pass as they came.
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
    /// Non-ASCII bytes of a header value not yet passed on (a run may end in the next chunk).
    private var pendingValueBytes: [UInt8] = []

    /// Longest run of non-ASCII bytes in one header value.
    static let maxValueRun = 8_192

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
        matched = 2  // the body may open with the delimiter without the CRLF before it
    }

    /// The next chunk of the body as the parser may see it; throws a 400 at the first non-ASCII
    /// header-name byte. Returns `chunk` itself unless a header value in it had to be mended.
    mutating func clean(_ chunk: ByteBuffer) throws -> ByteBuffer {
        let bytes = chunk.readableBytesView
        var output: [UInt8]?  // nil while the chunk passes unchanged
        for (offset, byte) in bytes.enumerated() {
            if state == .value, byte >= 0x80 {
                if output == nil { output = Array(bytes.prefix(offset)) }
                pendingValueBytes.append(byte)
                if pendingValueBytes.count > Self.maxValueRun {
                    throw APIError(.badRequest, "the multipart body is malformed: a part header is too long")
                }
                continue
            }
            if !pendingValueBytes.isEmpty {
                if output == nil { output = Array(bytes.prefix(offset)) }
                output?.append(contentsOf: Self.utf8(pendingValueBytes))
                pendingValueBytes = []
            }
            output?.append(byte)
            try advance(over: byte)
        }
        return output.map { ByteBuffer(bytes: $0) } ?? chunk
    }

    /// Non-ASCII bytes as UTF-8: as they are when they already are, else read as Latin-1.
    private static func utf8(_ run: [UInt8]) -> [UInt8] {
        if String(bytes: run, encoding: .utf8) != nil { return run }
        return Array(String(run.map { Character(Unicode.Scalar($0)) }).utf8)
    }

    private mutating func advance(over byte: UInt8) throws {
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

    private func check(_ byte: UInt8) throws {
        if byte >= 0x80 {
            throw APIError(.badRequest, "the multipart body is malformed: a part header name is not ASCII")
        }
    }
}
