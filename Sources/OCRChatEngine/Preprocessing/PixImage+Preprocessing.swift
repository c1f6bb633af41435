import CTesseract
import Foundation
import OCRChatModel

/// Image clean-up through Leptonica (gray copies, levelling, cut-outs). Each step returns a new
/// image and leaves the original alone.
extension PixImage {
    /// The image as 8-bit gray (colour and 1-bit pages alike), which every clean-up step takes.
    func grayscale() throws -> PixImage {
        if pixGetDepth(pix) == 8 && pixGetColormap(pix) == nil { return self }
        guard let gray = pixConvertTo8(pix, 0) else {
            throw EngineError.nativeFailure(call: "pixConvertTo8", detail: "could not make the page gray")
        }
        return keepingResolution(PixImage(taking: gray))
    }

    /// Turned by the small angle that makes text lines horizontal, when Leptonica finds one of at
    /// least `minimumDegrees` with confidence; the angle turned (degrees, clockwise in image
    /// coordinates, as Leptonica turns) or nil when left as it is. Finding the angle is cheap (a
    /// sweep on a reduced 1-bit copy); the page is only turned when it is crooked enough.
    func deskewed(minimumDegrees: Double = 0.3) throws -> (image: PixImage, degrees: Double)? {
        let source = try grayscale()
        guard let binary = pixConvertTo1(source.pix, 160) else {
            throw EngineError.nativeFailure(call: "pixConvertTo1", detail: "could not threshold the page")
        }
        defer { var pointer: UnsafeMutablePointer<PIX>? = binary; pixDestroy(&pointer) }
        var angle: Float = 0
        var confidence: Float = 0
        guard pixFindSkew(binary, &angle, &confidence) == 0, abs(Double(angle)) >= minimumDegrees, confidence >= 3 else {
            return nil
        }
        guard let turned = pixRotate(source.pix, angle * .pi / 180, l_int32(L_ROTATE_AREA_MAP), l_int32(L_BRING_IN_WHITE), 0, 0) else {
            throw EngineError.nativeFailure(call: "pixRotate", detail: "could not deskew the page")
        }
        return (keepingResolution(PixImage(taking: turned)), Double(angle))
    }

    /// Gray level below which a pixel may belong to a scanner border.
    static let borderDarkness: l_int32 = 100
    /// A border's mean gray level is below this (a scanner lid is near black; a shadow is not).
    static let borderMeanGray = 60

    /// The rectangle `box` (page pixels) cut out, with `margin` pixels of page around it where
    /// the page has them.
    func cropped(to box: (x0: Int, y0: Int, x1: Int, y1: Int), margin: Int) throws -> (image: PixImage, x: Int, y: Int) {
        let x = max(0, box.x0 - margin), y = max(0, box.y0 - margin)
        let right = min(width, box.x1 + margin), bottom = min(height, box.y1 + margin)
        guard right > x, bottom > y, let rectangle = boxCreate(l_int32(x), l_int32(y), l_int32(right - x), l_int32(bottom - y)) else {
            throw EngineError.nativeFailure(call: "boxCreate", detail: "empty region")
        }
        defer { var pointer: UnsafeMutablePointer<BOX>? = rectangle; boxDestroy(&pointer) }
        guard let clip = pixClipRectangle(pix, rectangle, nil) else {
            throw EngineError.nativeFailure(call: "pixClipRectangle", detail: "could not cut out a line")
        }
        return (keepingResolution(PixImage(taking: clip)), x, y)
    }

    /// PNG bytes of the image (what is sent to a vision model).
    func pngData() throws -> Data {
        var bytes: UnsafeMutablePointer<l_uint8>?
        var size = 0
        guard pixWriteMem(&bytes, &size, pix, l_int32(IFF_PNG)) == 0, let bytes else {
            throw EngineError.nativeFailure(call: "pixWriteMem", detail: "could not encode the page as PNG")
        }
        defer { lept_free(bytes) }
        return Data(bytes: bytes, count: size)
    }

    private func keepingResolution(_ image: PixImage) -> PixImage {
        if image !== self, pixGetXRes(image.pix) == 0, pixGetXRes(pix) != 0 {
            pixSetResolution(image.pix, pixGetXRes(pix), pixGetYRes(pix))
        }
        return image
    }
}

extension PixImage {
    /// Lightest gray a page may have everywhere and still count as blank: no text, line or picture
    /// prints this light (a rendered blank page is 255 throughout; anti-aliased text reaches below
    /// 128 at its core). A scanned page, with its specks and shadows, is almost never this clean.
    static let blankPageDarkest: Int32 = 224

    /// Whether an 8-bit gray page has no pixel darker than `blankPageDarkest` (one pass of
    /// Leptonica's over the pixels: milliseconds, where Tesseract's reading of a blank page costs
    /// a render's worth and more).
    var isBlank: Bool {
        guard pixGetDepth(pix) == 8, pixGetColormap(pix) == nil else { return false }
        var darkest: Int32 = 0
        guard pixGetExtremeValue(pix, 1, Int32(L_SELECT_MIN), nil, nil, nil, &darkest) == 0 else { return false }
        return darkest >= Self.blankPageDarkest
    }
}
