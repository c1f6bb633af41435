import Foundation
import Testing
@testable import OCRChatEngine

@Suite("Bad input gets a clear error, before any huge allocation")
struct BadInputTests {
    @Test("an empty file")
    func empty() async {
        await #expect(throws: EngineError.emptyFile) { try await sharedEngine.recognize(Data()) }
    }

    @Test("a truncated PNG, TIFF and PDF", arguments: ["phototest.png", "letter-3pages.tif", "scanned-2pages.pdf"])
    func truncated(name: String) async throws {
        let data = try sample(name)
        let half = data.prefix(data.count / 2)
        await #expect {
            try await sharedEngine.recognize(half)
        } throws: { error in
            guard case EngineError.unreadable = error else { return false }
            return "\(error)".contains("cannot be read")
        }
    }

    @Test("a PDF that is only a header")
    func headerOnlyPDF() async {
        await #expect {
            try await sharedEngine.recognize(Data("%PDF-1.7\n%%EOF\n".utf8))
        } throws: { error in
            guard case EngineError.unreadable(let format, _) = error else { return false }
            return format == "PDF"
        }
    }

    @Test("a text file named .pdf")
    func textNamedPDF() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ocrchat-test-\(UUID()).pdf")
        try Data("This is not a PDF at all, just some words.\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        await #expect(throws: EngineError.unsupportedType(detail: "the file looks like plain text")) {
            try await sharedEngine.recognize(contentsOf: url)
        }
    }

    @Test("an image whose header claims 100000×100000 pixels")
    func decompressionBomb() async {
        await #expect(throws: EngineError.tooManyPixels(page: 0, width: 100_000, height: 100_000, limit: 150_000_000)) {
            try await sharedEngine.recognize(pngHeader(width: 100_000, height: 100_000))
        }
    }

    @Test("limits are configurable: pixels, pages, file size and seconds per page")
    func limits() async throws {
        let page = try sample("phototest.png")
        let tiff = try sample("letter-3pages.tif")
        await #expect(throws: EngineError.tooManyPixels(page: 0, width: 640, height: 480, limit: 100_000)) {
            try await engine(limits: EngineLimits(maxPixelsPerPage: 100_000)).recognize(page)
        }
        await #expect(throws: EngineError.tooManyPages(count: 3, limit: 2)) {
            try await engine(limits: EngineLimits(maxPages: 2)).recognize(tiff)
        }
        await #expect(throws: EngineError.fileTooLarge(bytes: page.count, limit: 1_000)) {
            try await engine(limits: EngineLimits(maxFileBytes: 1_000)).recognize(page)
        }
        await #expect(throws: EngineError.pageTimedOut(page: 0, seconds: 0.001)) {
            try await engine(limits: EngineLimits(secondsPerPage: 0.001)).recognize(tiff)
        }
    }

    @Test("a large PDF page is rendered at a lower resolution rather than past the pixel limit")
    func largePDFPageFits() async throws {
        let limited = try engine(limits: EngineLimits(maxPixelsPerPage: 500_000))
        let document = try await limited.recognize(sample("scanned-2pages.pdf"))
        for page in document.pages {
            #expect(page.width * page.height <= 500_000)
            #expect(page.dpi < 300)
        }
    }
}
