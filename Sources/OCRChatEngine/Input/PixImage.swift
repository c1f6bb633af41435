import CTesseract
import Foundation
import OCRChatModel

/// A Leptonica image (`PIX`), owned: the one place that holds the raw pointer, freed in `deinit`.
///
/// Immutable once made; handed from the decoding thread to one recognition thread, never shared
/// for writing, hence `@unchecked Sendable`.
final class PixImage: @unchecked Sendable {
    /// The raw Leptonica handle; only the engine module sees it.
    let pix: UnsafeMutablePointer<PIX>

    /// Takes ownership of `pix` (freed with this object).
    init(taking pix: UnsafeMutablePointer<PIX>) {
        self.pix = pix
    }

    deinit {
        var pointer: UnsafeMutablePointer<PIX>? = pix
        pixDestroy(&pointer)
    }

    var width: Int { Int(pixGetWidth(pix)) }
    var height: Int { Int(pixGetHeight(pix)) }
    /// Horizontal resolution from the file, or 0 when the file does not say.
    var resolution: Int { Int(pixGetXRes(pix)) }

    /// Decodes an image file held in memory (any format Leptonica reads), page `tiffPage` of a TIFF.
    static func decode(_ data: Data, format: InputFormat, tiffPage: Int = 0) throws -> PixImage {
        let pix: UnsafeMutablePointer<PIX>? = data.withUnsafeBytes { raw in
            guard let base = raw.bindMemory(to: l_uint8.self).baseAddress else { return nil }
            if format == .tiff {
                return pixReadMemTiff(base, raw.count, l_int32(tiffPage))
            }
            return pixReadMem(base, raw.count)
        }
        guard let pix else {
            let page = format == .tiff ? " (page \(tiffPage + 1))" : ""
            throw EngineError.unreadable(format: format.displayName,
                                         detail: "the image data is damaged or truncated\(page)")
        }
        return try PixImage(taking: pix).normalisedForRecognition()
    }

    /// Wraps a gray 8-bit bitmap (rows `stride` bytes apart), copying its pixels.
    static func fromGray(bytes: UnsafePointer<UInt8>, width: Int, height: Int, stride: Int, dpi: Int) throws -> PixImage {
        guard let pix = pixCreate(l_int32(width), l_int32(height), 8) else {
            throw EngineError.nativeFailure(call: "pixCreate", detail: "no memory for a \(width)×\(height) page")
        }
        let image = PixImage(taking: pix)
        let wordsPerLine = Int(pixGetWpl(pix))
        let destination = UnsafeMutableRawPointer(pixGetData(pix)!)
        let rowBytes = min(stride, wordsPerLine * 4)
        for row in 0..<height {
            (destination + row * wordsPerLine * 4).copyMemory(from: bytes + row * stride, byteCount: rowBytes)
        }
        // Leptonica keeps pixels in 32-bit words in big-endian byte order.
        pixEndianByteSwap(pix)
        pixSetResolution(pix, l_int32(dpi), l_int32(dpi))
        return image
    }

    /// The image turned clockwise by `degrees` (a multiple of 90).
    func rotated(clockwiseDegrees degrees: Int) throws -> PixImage {
        let quads = ((degrees / 90) % 4 + 4) % 4
        if quads == 0 { return self }
        guard let turned = pixRotateOrth(pix, l_int32(quads)) else {
            throw EngineError.nativeFailure(call: "pixRotateOrth", detail: "could not turn the page")
        }
        return PixImage(taking: turned)
    }

    /// Puts the image into a form Tesseract takes as it is: 1, 8 or 32 bits a pixel, no colour map,
    /// transparency flattened onto white (a transparent background otherwise reads as black).
    private func normalisedForRecognition() throws -> PixImage {
        var current = self
        if pixGetColormap(current.pix) != nil {
            guard let plain = pixRemoveColormap(current.pix, l_int32(REMOVE_CMAP_BASED_ON_SRC)) else {
                throw EngineError.nativeFailure(call: "pixRemoveColormap", detail: "could not expand the palette")
            }
            current = PixImage(taking: plain)
        }
        let depth = pixGetDepth(current.pix)
        switch depth {
        case 1, 8:
            break
        case 32:
            if pixGetSpp(current.pix) == 4 {
                guard let flat = pixAlphaBlendUniform(current.pix, 0xffff_ff00) else {
                    throw EngineError.nativeFailure(call: "pixAlphaBlendUniform", detail: "could not flatten transparency")
                }
                current = PixImage(taking: flat)
            }
        case 16:
            guard let eight = pixConvert16To8(current.pix, l_int32(L_MS_BYTE)) else {
                throw EngineError.nativeFailure(call: "pixConvert16To8", detail: "could not reduce 16-bit samples")
            }
            current = PixImage(taking: eight)
        case 24:
            guard let full = pixConvert24To32(current.pix) else {
                throw EngineError.nativeFailure(call: "pixConvert24To32", detail: "could not expand 24-bit pixels")
            }
            current = PixImage(taking: full)
        default:
            guard let eight = pixConvertTo8(current.pix, 0) else {
                throw EngineError.nativeFailure(call: "pixConvertTo8", detail: "unsupported depth \(depth)")
            }
            current = PixImage(taking: eight)
        }
        if current !== self, pixGetXRes(current.pix) == 0, pixGetXRes(pix) != 0 {
            pixSetResolution(current.pix, pixGetXRes(pix), pixGetYRes(pix))
        }
        return current
    }
}
