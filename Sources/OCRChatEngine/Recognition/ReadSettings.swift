import CTesseract

/// How Tesseract is asked to read one image: the page segmentation and a few variables, set for
/// that reading only.
struct ReadSettings: Sendable, Equatable {
    /// How Tesseract splits the image into text.
    enum Segmentation: Sendable, Equatable {
        /// Automatic layout: blocks, columns, lines (the cpu tier's only mode).
        case automatic
        /// The image is one line of text (a cut-out line, a caption, a label).
        case singleLine
        /// The image is one word.
        case singleWord

        var tesseractMode: TessPageSegMode {
            switch self {
            case .automatic: return PSM_AUTO
            case .singleLine: return PSM_SINGLE_LINE
            case .singleWord: return PSM_SINGLE_WORD
            }
        }
    }

    /// Tesseract's own binarisation (`thresholding_method`).
    enum Binarisation: String, Sendable, Equatable {
        /// Global Otsu, Tesseract's default: best on clean, evenly lit pages.
        case otsu = "0"
        /// Otsu on tiles after Leptonica's background normalisation: uneven paper and mild shadows.
        case adaptiveOtsu = "1"
        /// Sauvola's local threshold (Leptonica's tiled Sauvola): strong shadows and gradients.
        case sauvola = "2"
    }

    var segmentation: Segmentation = .automatic
    var binarisation: Binarisation = .otsu

    /// The cpu tier's reading.
    static let standard = ReadSettings()

    /// The Tesseract variables this reading sets, and puts back afterwards.
    var variables: [(String, String)] {
        binarisation == .otsu ? [] : [("thresholding_method", binarisation.rawValue)]
    }

    /// Tesseract's defaults of the variables a reading may change.
    static let defaults: [String: String] = ["thresholding_method": "0"]
}
