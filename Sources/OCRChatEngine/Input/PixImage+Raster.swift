import CTesseract
import OCRChatModel
import OCRChatNeural

extension PixImage {
    /// The image as the neural models read it: 8-bit blue, green, red samples.
    func raster() throws -> RasterImage {
        guard let full = pixConvertTo32(pix) else {
            throw EngineError.nativeFailure(call: "pixConvertTo32", detail: "could not make a colour copy of the page")
        }
        let colour = PixImage(taking: full)
        let width = colour.width, height = colour.height
        let wordsPerLine = Int(pixGetWpl(colour.pix))
        guard let data = pixGetData(colour.pix) else {
            throw EngineError.nativeFailure(call: "pixGetData", detail: "the page has no pixels")
        }
        guard let image = RasterImage(leptonicaWords: UnsafePointer(data), width: width, height: height,
                                      wordsPerLine: wordsPerLine) else {
            throw EngineError.nativeFailure(call: "raster", detail: "a \(width)×\(height) page has no pixels")
        }
        return image
    }
}
