import Foundation
import NIOCore
import Testing
@testable import OCRChatServer

/// The web layer's small pieces in isolation (the live tests drive them through the server).
@Suite("web layer pieces")
struct WebLayerTests {
    /// The body as the parser gets it after the guard.
    @discardableResult
    private func scan(_ chunks: [[UInt8]], boundary: String = "b0undary") throws -> [UInt8] {
        var headerGuard = MultipartHeaderGuard(boundary: boundary)
        var cleaned: [UInt8] = []
        for chunk in chunks {
            let out = try headerGuard.clean(ByteBuffer(bytes: chunk))
            cleaned += out.readableBytesView
        }
        return cleaned
    }

    @Test("the multipart guard lets real uploads through, UTF-8 file names and split chunks included")
    func guardPassesRealUploads() throws {
        let body = Array("--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"Übersicht.png\"\r\nContent-Type: image/png\r\n\r\n\u{89}PNG\u{FF}\u{FE}\r\n--b0undary\r\nContent-Disposition: form-data; name=\"tier\"\r\n\r\ncpu\r\n--b0undary--\r\n".utf8)
        #expect(try scan([body]) == body)
        for split in stride(from: 1, to: body.count, by: 7) {
            #expect(try scan([Array(body[..<split]), Array(body[split...])]) == body, "split at \(split)")
        }
    }

    @Test("a file name that is not UTF-8 is read as Latin-1, whatever the chunks; the part bodies are left alone")
    func guardMendsLatin1Names() throws {
        let head = Array("--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r".utf8) + [0xE9]
            + Array("sum".utf8) + [0xE9] + Array(".png\"\r\n\r\n".utf8)
        let rest = [0x89, 0xE9, 0xFF] + Array("\r\n--b0undary--\r\n".utf8)
        let expected = Array("--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"résumé.png\"\r\n\r\n".utf8) + rest
        #expect(try scan([head + rest]) == expected)
        let body = head + rest
        for split in 1..<body.count {
            #expect(try scan([Array(body[..<split]), Array(body[split...])]) == expected, "split at \(split)")
        }
    }

    @Test("a non-ASCII byte in a part header name is refused before MultipartKit traps on it")
    func guardRefusesNonASCIIHeaderName() {
        let first = Array("--b0undary\r\n".utf8) + [0xC2, 0xA8] + Array(": x\r\n\r\nbody\r\n--b0undary--\r\n".utf8)
        #expect(throws: APIError.self) { try scan([first]) }
        // In the second part, split across chunks.
        let second = Array("--b0undary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b0undary\r\nX".utf8)
        #expect(throws: APIError.self) { try scan([second, [0xF2] + Array(": y\r\n\r\n".utf8)]) }
        // Binary data inside a part's body is not a header.
        #expect(throws: Never.self) {
            try scan([Array("--b0undary\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n".utf8) + [0xC2, 0xA8, 0x0D, 0x0A, 0xF2]
                + Array("\r\n--b0undary--\r\n".utf8)])
        }
    }

    @Test("single-user mode knows loopback from the rest")
    func loopbackNames() {
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "LOCALHOST"] {
            #expect(SingleUserAccount.isLoopbackHost(host), "\(host)")
        }
        for host in ["0.0.0.0", "192.168.1.4", "evil.example", "127.0.0.1.evil.example", "", "::"] {
            #expect(!SingleUserAccount.isLoopbackHost(host), "\(host)")
        }
        #expect(SingleUserAccount.hostName(ofAuthority: "[::1]:8080") == "::1")
        #expect(SingleUserAccount.hostName(ofAuthority: "localhost:8080") == "localhost")
        #expect(SingleUserAccount.hostName(ofAuthority: "evil.example") == "evil.example")
    }

    @Test("the 405 table comes from the OpenAPI document")
    func methodTable() {
        let middleware = MethodNotAllowedMiddleware<OCRRequestContext>()
        let upload = middleware.routes.first { $0.segments == ["api", "v1", "ocr"] }
        #expect(Set(upload?.methods ?? []) == ["GET", "HEAD", "POST"])
        #expect(MethodNotAllowedMiddleware<OCRRequestContext>.matches(["api", "v1", "ocr", "{uuid}"], ["api", "v1", "ocr", "abc"]))
        #expect(!MethodNotAllowedMiddleware<OCRRequestContext>.matches(["api", "v1", "ocr", "{uuid}"], ["api", "v1", "ocr"]))
    }
}
