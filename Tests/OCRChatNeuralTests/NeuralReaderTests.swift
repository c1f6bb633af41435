import Foundation
@testable import OCRChatNeural
import Testing

/// The neural reader alone, on images made here: bounded work on hostile images, and the C face's
/// errors as values.
@Suite("PP-OCR on ONNX Runtime")
struct NeuralReaderTests {
    static func reader() throws -> NeuralReader {
        try NeuralReader.load().get()
    }

    /// A gray image filled by `pixel(x, y)`.
    static func image(width: Int, height: Int, _ pixel: (Int, Int) -> UInt8) -> RasterImage {
        var samples = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let value = pixel(x, y)
                samples[(y * width + x) * 3] = value
                samples[(y * width + x) * 3 + 1] = value
                samples[(y * width + x) * 3 + 2] = value
            }
        }
        return RasterImage(width: width, height: height, bgr: samples)!
    }

    @Test("the runtime and the three models load once, and say what they are")
    func loads() throws {
        let reader = try Self.reader()
        #expect(reader.description.contains("ONNX Runtime 1."))
        #expect(reader.canRead("e") && reader.canRead("é") && reader.canRead("中"))
        #expect(!reader.canRead("Ж") && !reader.canRead("ب"))
        #expect(try NeuralReader.load().get() === reader)
    }

    @Test("an empty page, a one-pixel page and a tiny page read as nothing, without an error")
    func emptyImages() throws {
        let reader = try Self.reader()
        #expect(try reader.read(Self.image(width: 1200, height: 1600) { _, _ in 255 }).isEmpty)
        #expect(try reader.read(Self.image(width: 1, height: 1) { _, _ in 0 }).isEmpty)
        #expect(try reader.read(Self.image(width: 7, height: 3) { x, _ in x % 2 == 0 ? 0 : 255 }).count <= 1)
    }

    @Test("a hatched page of thousands of specks is bounded work and a bounded result")
    func hatchedPage() throws {
        let reader = try Self.reader()
        let hatched = Self.image(width: 2400, height: 2400) { x, y in (x % 12 < 3 && y % 12 < 3) ? 0 : 255 }
        let started = ContinuousClock.now
        let lines = try reader.read(hatched)
        #expect(lines.count <= NeuralReader.maxLinesPerPage)
        #expect(ContinuousClock.now - started < .seconds(120))
    }

    @Test("a shape the model cannot take is an error that names the call, not a crash")
    func wrongShape() throws {
        let locator = NeuralModelLocator.standard()
        let runtime = try ONNXRuntime(libraryPath: try #require(locator.library()))
        let session = try runtime.session(model: try locator.verified(NeuralModelLocator.recognitionModel))
        #expect(throws: NeuralError.self) { try session.run([Float](repeating: 0, count: 3 * 10 * 10), shape: [1, 3, 10, 10]) }
        #expect(try session.metadata("character")?.contains("\n") == true)
        #expect(try session.metadata("no such key") == nil)
        #expect(throws: NeuralError.self) { try runtime.session(model: "/etc/hostname") }
    }

    @Test("the least-area rectangle of a turned box is that box")
    func enclosingRectangle() throws {
        let angle = 0.2
        let points = [(-50.0, -10.0), (50.0, -10.0), (50.0, 10.0), (-50.0, 10.0), (0.0, 0.0)].map { x, y in
            Point(x: 300 + x * cos(angle) - y * sin(angle), y: 200 + x * sin(angle) + y * cos(angle))
        }
        let rect = try #require(RotatedRect.enclosing(points))
        #expect(abs(max(rect.length, rect.breadth) - 100) < 0.01 && abs(min(rect.length, rect.breadth) - 20) < 0.01)
        let quad = rect.quad
        #expect(quad.topLeft.x < quad.topRight.x && quad.topLeft.y < quad.bottomLeft.y)
        #expect(abs(quad.width - 100) < 0.01 && abs(quad.height - 20) < 0.01)
    }
}
