import CTesseract
import Foundation
import OCRChatModel
import Synchronization

/// Small JPEG pictures of a file's pages, turned upright as they were recognised, so that a person
/// can see a page beside its text and the word boxes drawn over it.
///
/// The server makes them when a job ends, while the upload still exists (it is deleted then), one
/// page at a time so a long file is never held whole in memory.
public struct PagePreviewMaker: Sendable {
    /// The longest side of a preview, in pixels.
    public var longestSide: Int
    /// JPEG quality, 1…100.
    public var quality: Int
    public var limits: EngineLimits

    public init(longestSide: Int = 1400, quality: Int = 75, limits: EngineLimits = EngineLimits()) {
        self.longestSide = max(16, longestSide)
        self.quality = min(100, max(1, quality))
        self.limits = limits
    }

    /// Makes one preview per page of `pages` (the recognised document's pages, whose rotation is
    /// applied) from the file at `url`, handing each to `write` with the page's 0-based index.
    /// The pages are shared out over `threads` threads, each with its own decoder (a Poppler
    /// document is not safe to share), one page in memory each. Blocking work: call it off the
    /// cooperative pool (`offload`). `write` may be called from several threads at once.
    public func makePreviews(of url: URL, pages: [Page], password: String?, threads: Int = 1,
                             write: @Sendable (_ index: Int, _ jpeg: Data) throws -> Void) throws {
        let data = try Data(contentsOf: url, options: .mappedIfSafe)
        let format = try InputFormat.sniff(data)
        let lanes = max(1, min(threads, pages.count))
        let failures = Mutex<[any Error]>([])
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            let share = stride(from: lane, to: pages.count, by: lanes).map { pages[$0] }
            do {
                try makePreviews(of: data, format: format, file: url, pages: share, password: password, write: write)
            } catch {
                failures.withLock { $0.append(error) }
            }
        }
        if let failure = failures.withLock({ $0.first }) { throw failure }
    }

    private func makePreviews(of data: Data, format: InputFormat, file: URL, pages: [Page], password: String?,
                              write: (_ index: Int, _ jpeg: Data) throws -> Void) throws {
        if format == .pdf {
            let document = try PDFDocument(data: data, file: file, password: password)
            for page in pages where page.index < document.pageCount {
                let size = try document.pageSize(page.index)
                let longestInches = max(size.width, size.height) / 72
                // Rendered straight at the preview's size: cheaper and sharper than a full render scaled down.
                let dpi = max(1, min(Double(page.dpi > 0 ? page.dpi : 300), Double(longestSide) / longestInches))
                let image = try document.renderGray(page.index, dpi: dpi)
                try write(page.index, try jpeg(of: image.rotated(clockwiseDegrees: page.rotation)))
            }
        } else {
            let source = try ImageFileSource(data: data, format: format, limits: limits)
            for page in pages where page.index < source.pageCount {
                let image = try PixImage.decode(data, format: format, tiffPage: page.index)
                try write(page.index, try jpeg(of: scaledForPreview(image).rotated(clockwiseDegrees: page.rotation)))
            }
        }
    }

    /// The image at 8 bits gray or 32 bits colour (what JPEG takes), no larger than the preview size.
    private func scaledForPreview(_ image: PixImage) throws -> PixImage {
        var current = image
        let depth = pixGetDepth(current.pix)
        if depth != 8 && depth != 32 {
            guard let eight = pixConvertTo8(current.pix, 0) else {
                throw EngineError.nativeFailure(call: "pixConvertTo8", detail: "could not make a gray preview")
            }
            current = PixImage(taking: eight)
        }
        let factor = Float(longestSide) / Float(max(current.width, current.height))
        guard factor < 1 else { return current }
        guard let scaled = pixScale(current.pix, factor, factor) else {
            throw EngineError.nativeFailure(call: "pixScale", detail: "could not scale the page for its preview")
        }
        return PixImage(taking: scaled)
    }

    private func jpeg(of image: PixImage) throws -> Data {
        var bytes: UnsafeMutablePointer<l_uint8>?
        var size = 0
        guard pixWriteMemJpeg(&bytes, &size, image.pix, l_int32(quality), 0) == 0, let bytes else {
            throw EngineError.nativeFailure(call: "pixWriteMemJpeg", detail: "could not encode a page preview")
        }
        defer { lept_free(bytes) }
        return Data(bytes: bytes, count: size)
    }
}
