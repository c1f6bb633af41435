/// A PDF transformation matrix `[a b c d e f]`: a point (x, y) goes to (a·x + c·y + e, b·x + d·y + f).
struct AffineMatrix: Equatable {
    var a, b, c, d, e, f: Double

    static let identity = AffineMatrix(a: 1, b: 0, c: 0, d: 1, e: 0, f: 0)

    /// First `self`, then `next`.
    func then(_ next: AffineMatrix) -> AffineMatrix {
        AffineMatrix(a: a * next.a + b * next.c, b: a * next.b + b * next.d,
                     c: c * next.a + d * next.c, d: c * next.b + d * next.d,
                     e: e * next.a + f * next.c + next.e, f: e * next.b + f * next.d + next.f)
    }

    /// Where the point goes.
    func apply(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        (a * x + c * y + e, b * x + d * y + f)
    }

    /// Undoes a clockwise turn by `degrees` (a multiple of 90) of a `width` × `height` area: maps the
    /// turned area (origin bottom left, y up) back onto the area before the turn.
    static func undoingClockwiseTurn(_ degrees: Int, width: Double, height: Double) -> AffineMatrix {
        switch ((degrees / 90) % 4 + 4) % 4 {
        case 1: return AffineMatrix(a: 0, b: 1, c: -1, d: 0, e: width, f: 0)
        case 2: return AffineMatrix(a: -1, b: 0, c: 0, d: -1, e: width, f: height)
        case 3: return AffineMatrix(a: 0, b: -1, c: 1, d: 0, e: 0, f: height)
        default: return .identity
        }
    }
}

/// Where a page's text layer is drawn: a `width` × `height` space in points that is the upright page
/// the model's boxes refer to (origin bottom left), and the matrix taking it into the PDF page's user space.
struct TextLayerPlacement: Equatable {
    var width: Double
    var height: Double
    var matrix: AffineMatrix

    /// For a page of an existing PDF. The engine rendered the crop box as displayed (its /Rotate
    /// applied) and then turned the image clockwise by `page.rotation` to read it, so the layer
    /// undoes both turns and moves to the crop box's origin. Sizes come from the crop box, not from
    /// `page.dpi`, which is rounded.
    static func overPDFPage(rotation: Int, box: PDFPageBox) -> TextLayerPlacement {
        let boxWidth = box.x1 - box.x0, boxHeight = box.y1 - box.y0
        let sideways = { (degrees: Int) in ((degrees / 90) % 2 + 2) % 2 == 1 }
        let (shownWidth, shownHeight) = sideways(box.rotate) ? (boxHeight, boxWidth) : (boxWidth, boxHeight)
        let (uprightWidth, uprightHeight) = sideways(rotation) ? (shownHeight, shownWidth) : (shownWidth, shownHeight)
        let toShown = AffineMatrix.undoingClockwiseTurn(rotation, width: shownWidth, height: shownHeight)
        var toUserSpace = AffineMatrix.undoingClockwiseTurn(box.rotate, width: boxWidth, height: boxHeight)
        toUserSpace.e += box.x0
        toUserSpace.f += box.y0
        return TextLayerPlacement(width: uprightWidth, height: uprightHeight, matrix: toShown.then(toUserSpace))
    }
}
