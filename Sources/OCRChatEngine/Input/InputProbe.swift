import Foundation
import Logging
import OCRChatModel

/// The path a file's bytes take through the engine before recognition (sniffing, the header and
/// its limits, opening the PDF, decoding or rendering pages, the text layer), without Tesseract:
/// what the fuzzer drives.
public enum InputProbe {
    /// Decodes up to `pages` pages of `data` (PDF pages rendered at `renderDPI`); throws what the
    /// engine would throw. Returns the pages decoded.
    @discardableResult
    public static func decode(_ data: Data, limits: EngineLimits, pages: Int = 3, renderDPI: Double = 36,
                              logger: Logger = Logger(label: "ocrchat.probe")) throws -> Int {
        NativeLibraryLogging.install()
        if data.count > limits.maxFileBytes { throw EngineError.fileTooLarge(bytes: data.count, limit: limits.maxFileBytes) }
        let format = try InputFormat.sniff(data)
        let source: any PageSource
        if format == .pdf {
            source = try PDFSource(data: data, file: nil, password: nil, limits: limits, renderDPI: renderDPI, logger: logger)
        } else {
            source = try ImageFileSource(data: data, format: format, limits: limits)
        }
        let count = min(pages, source.pageCount)
        for index in 0..<count {
            switch try source.load(page: index) {
            case .recognize(let image, _):
                // Orientation fixes turn the image; run that path too.
                _ = try image.rotated(clockwiseDegrees: 90)
            case .finished:
                break
            }
        }
        return count
    }
}
