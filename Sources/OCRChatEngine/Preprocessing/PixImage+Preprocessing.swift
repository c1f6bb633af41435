import CTesseract
import Foundation

/// The accurate pipeline's image clean-up, all through Leptonica. Each step returns a new image
/// and leaves the original alone, so the pipeline can read several versions of a page and keep
/// the best reading.
extension PixImage {
    /// Resolution recorded in the image, or `fallback` when it says nothing usable.
    func resolution(or fallback: Int) -> Int {
        let dpi = resolution
        return (50...2400).contains(dpi) ? dpi : fallback
    }

    /// The image as 8-bit gray (colour and 1-bit pages alike), which every clean-up step takes.
    func grayscale() throws -> PixImage {
        if pixGetDepth(pix) == 8 && pixGetColormap(pix) == nil { return self }
        guard let gray = pixConvertTo8(pix, 0) else {
            throw EngineError.nativeFailure(call: "pixConvertTo8", detail: "could not make the page gray")
        }
        return keepingResolution(PixImage(taking: gray))
    }

    /// Scaled by `factor` (linear interpolation on gray, so small text gains smooth edges rather
    /// than blocky ones); the recorded resolution grows with it.
    func scaled(by factor: Double) throws -> PixImage {
        let source = try grayscale()
        guard let scaled = pixScaleGrayLI(source.pix, Float(factor), Float(factor)) else {
            throw EngineError.nativeFailure(call: "pixScaleGrayLI", detail: "could not rescale the page")
        }
        let dpi = Double(resolution(or: 0))
        if dpi > 0 { pixSetResolution(scaled, l_int32((dpi * factor).rounded()), l_int32((dpi * factor).rounded())) }
        return PixImage(taking: scaled)
    }

    /// Uneven lighting and shadows flattened: the background is estimated in tiles and divided
    /// out, so that paper is white everywhere and ink keeps its contrast.
    func backgroundNormalised() throws -> PixImage {
        let source = try grayscale()
        guard let flat = pixBackgroundNormSimple(source.pix, nil, nil) else {
            throw EngineError.nativeFailure(call: "pixBackgroundNormSimple", detail: "could not even out the lighting")
        }
        return keepingResolution(PixImage(taking: flat))
    }

    /// Whether the paper is unevenly lit (a shadow, a gradient): the brightest and darkest of an
    /// 8×8 grid of averages differ by more than `threshold` gray levels. A confident reading of such
    /// a page may still have lost the text in the dark part.
    func hasUnevenLighting(threshold: Int = 60) throws -> Bool {
        let source = try grayscale()
        guard let grid = pixScaleToSize(source.pix, 8, 8) else { return false }
        defer { var pointer: UnsafeMutablePointer<PIX>? = grid; pixDestroy(&pointer) }
        var low: l_int32 = 0, high: l_int32 = 0
        guard pixGetExtremeValue(grid, 1, l_int32(L_SELECT_MIN), nil, nil, nil, &low) == 0,
              pixGetExtremeValue(grid, 1, l_int32(L_SELECT_MAX), nil, nil, nil, &high) == 0 else { return false }
        return Int(high) - Int(low) > threshold
    }

    /// The mean gray level (0 black … 255 white) of the whole image.
    func meanGray() throws -> Double {
        let source = try grayscale()
        var mean: Float = 0
        guard pixGetAverageMasked(source.pix, nil, 0, 0, 1, l_int32(L_MEAN_ABSVAL), &mean) == 0 else {
            throw EngineError.nativeFailure(call: "pixGetAverageMasked", detail: "could not measure the image")
        }
        return Double(mean)
    }

    /// Speckle noise removed with a 3×3 median, which keeps the edges of strokes.
    func despeckled() throws -> PixImage {
        let source = try grayscale()
        guard let clean = pixMedianFilter(source.pix, 1, 1) else {
            throw EngineError.nativeFailure(call: "pixMedianFilter", detail: "could not remove noise")
        }
        return keepingResolution(PixImage(taking: clean))
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

    /// Black bands along the edges (a scanner lid, a photocopy's margins) made white, or nil when
    /// the page has none: dark regions that touch the edge, are far larger than a letter and are
    /// near black. A shadow or a dark gradient is not a border (its paper is gray, not black, and
    /// the text in it must stay): that is background normalisation's work.
    func bordersCleared() throws -> PixImage? {
        let source = try grayscale()
        guard let binary = pixConvertTo1(source.pix, Self.borderDarkness) else {
            throw EngineError.nativeFailure(call: "pixConvertTo1", detail: "could not threshold the page")
        }
        defer { var pointer: UnsafeMutablePointer<PIX>? = binary; pixDestroy(&pointer) }
        guard let border = pixExtractBorderConnComps(binary, 8) else { return nil }
        defer { var pointer: UnsafeMutablePointer<PIX>? = border; pixDestroy(&pointer) }
        var count: l_int32 = 0
        pixCountPixels(border, &count, nil)
        // Only large dark areas count as a border: a letter touching the edge is left alone.
        guard Int(count) > (width * height) / 100 else { return nil }
        var mean: Float = 255
        guard pixGetAverageMasked(source.pix, border, 0, 0, 1, l_int32(L_MEAN_ABSVAL), &mean) == 0,
              mean < Float(Self.borderMeanGray) else { return nil }
        // A little beyond the dark area too: a scanner's border fades into the paper over a few pixels.
        guard let grown = pixDilateBrick(nil, border, 7, 7) else { return nil }
        defer { var pointer: UnsafeMutablePointer<PIX>? = grown; pixDestroy(&pointer) }
        guard let copy = pixCopy(nil, source.pix) else { return nil }
        pixSetMasked(copy, grown, 255)
        return keepingResolution(PixImage(taking: copy))
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
