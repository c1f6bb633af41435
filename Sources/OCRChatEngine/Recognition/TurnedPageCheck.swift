import CTesseract
import Foundation

/// A cheap look at a page before it is read, to catch a page that is clearly sideways or upside
/// down: Leptonica's ascender/descender test on a 1-bit copy at half resolution.
///
/// Reading a turned page first costs a whole recognition of nonsense before orientation detection
/// runs and the page is read again; this test costs a few tens of milliseconds on a 300 dpi page
/// (about 1–2% of reading it), so a page it flags goes to orientation detection first and is read
/// once. It only triggers detection: Tesseract's detector still decides the turn, so a wrong flag
/// costs a detection, never a wrong reading.
enum TurnedPageCheck {
    /// Leptonica's confidences are signed; below this magnitude they say nothing (its own
    /// recommended minimum for a decision is 8).
    static let minimumConfidence: Float = 8
    /// Above this many pixels on a side the page is tested at half resolution (Leptonica's test
    /// wants 150–300 ppi text; a 300 dpi page halved is 150).
    static let halveAbove = 2_000
    /// Fewer pixels than this (a line, a snippet) have too few letters for the test to mean anything.
    static let minimumPixels = 500_000

    /// True when the page's text looks upside down or sideways rather than upright.
    static func looksTurned(_ image: PixImage) -> Bool {
        guard image.width * image.height >= minimumPixels,
              let binary = pixConvertTo1(image.pix, 128) else { return false }
        var reduced: UnsafeMutablePointer<PIX>? = binary
        if max(image.width, image.height) > halveAbove {
            reduced = pixReduceRankBinary2(binary, 1, nil)
            var original: UnsafeMutablePointer<PIX>? = binary
            pixDestroy(&original)
        }
        guard let reduced else { return false }
        defer {
            var pointer: UnsafeMutablePointer<PIX>? = reduced
            pixDestroy(&pointer)
        }
        var upright: Float = 0
        var left: Float = 0
        guard pixOrientDetect(reduced, &upright, &left, 0, 0) == 0 else { return false }
        return isTurned(upright: upright, left: left)
    }

    /// The strongest evidence is for a turned page: confidently upside down, or confidently
    /// sideways and more so than upright.
    static func isTurned(upright: Float, left: Float) -> Bool {
        if upright <= -minimumConfidence, abs(upright) >= abs(left) { return true }
        return abs(left) >= minimumConfidence && abs(left) > abs(upright)
    }
}
