import Foundation
import Testing
@testable import OCRChatEngine

@Suite("Recognising the file type from its bytes")
struct InputFormatTests {
    @Test("every sample is recognised by content", arguments: [
        ("phototest.png", InputFormat.png), ("phototest.jpg", .jpeg), ("phototest.webp", .webp),
        ("phototest.gif", .gif), ("phototest.bmp", .bmp), ("phototest.tif", .tiff), ("phototest.pdf", .pdf),
    ])
    func sniffsSamples(name: String, format: InputFormat) throws {
        #expect(try InputFormat.sniff(sample(name)) == format)
    }

    @Test("an empty file, plain text and a ZIP are refused with what they are")
    func refusesOthers() {
        #expect(throws: EngineError.emptyFile) { try InputFormat.sniff(Data()) }
        #expect(throws: EngineError.unsupportedType(detail: "the file looks like plain text")) {
            try InputFormat.sniff(Data("Dear customer,\nplease find the invoice attached.\n".utf8))
        }
        #expect(throws: EngineError.unsupportedType(detail: "the file is a ZIP archive (or an Office document)")) {
            try InputFormat.sniff(Data([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0]))
        }
    }

    @Test("headers give each page's size without decoding")
    func readsHeaders() throws {
        for name in ["phototest.png", "phototest.jpg", "phototest.webp", "phototest.gif", "phototest.bmp", "phototest.tif"] {
            let data = try sample(name)
            let pages = try ImageHeader.pages(of: data, format: InputFormat.sniff(data), maxPages: 10)
            #expect(pages == [ImageHeader(width: 640, height: 480)], "\(name)")
        }
        let tiff = try sample("letter-3pages.tif")
        #expect(try ImageHeader.pages(of: tiff, format: .tiff, maxPages: 10).count == 3)
    }

    @Test("a header cut short is a damaged file, not a crash")
    func truncatedHeaders() throws {
        for name in ["phototest.png", "phototest.jpg", "phototest.gif", "phototest.bmp", "phototest.tif", "phototest.webp"] {
            let data = try sample(name).prefix(9)
            #expect(throws: EngineError.self, "\(name)") {
                try ImageHeader.pages(of: data, format: InputFormat.sniff(data), maxPages: 10)
            }
        }
    }
}
