import Foundation
import OCRChatModel

/// The vlm tier's accurate pipeline for one page, on one worker.
///
/// It starts from the cpu tier's reading (orientation and script already settled) and stops there
/// when that reading is confident, so a clean page costs no more than on cpu. A doubtful page is
/// cleaned up and read again in a few ways, and the best reading wins:
///
/// 1. text smaller than Tesseract reads best (a fax, a 100 dpi scan, a phone photo) is rescaled to
///    about `targetWordHeight` pixels a word;
/// 2. a page a few degrees crooked is deskewed;
/// 3. it is read with Tesseract's default (Otsu) threshold, with background normalisation (uneven
///    paper), with Sauvola's local threshold (shadows, gradients) and after a median filter (speckle
///    noise); an image of one line or one word is also read as such;
/// 4. lines of the winning reading that are still doubtful are cut out and read again as single
///    lines, enlarged; a line reading replaces the old one only when it is more confident.
///
/// Readings are compared by their length-weighted confidence, scaled down when a reading finds
/// clearly less text than the others (a threshold that drops faint words looks confident) and by
/// the share of its words the model's dictionary knows. Boxes are mapped back to the page image
/// the cpu tier would have reported (upright, original scale).
struct AccurateRecognizer {
    /// A cpu reading at least this confident, with this share of dictionary words, is kept as it is.
    static let confidentPage = 0.90
    static let confidentDictionaryShare = 0.6
    /// Lines below this confidence get a second, single-line reading.
    static let doubtfulLine = 0.75
    /// Most lines read a second time on one page, to keep the page's cost bounded.
    static let maxRereadLines = 40
    /// The word height (pixels) Tesseract reads best; smaller text is enlarged towards it.
    static let targetWordHeight = 34.0
    /// Text smaller than this (median word height in pixels) is enlarged.
    static let smallWordHeight = 22.0
    /// The largest enlargement, and the most pixels an enlarged page may have.
    static let maxScale = 4.0
    static let maxScaledPixels = 25_000_000
    /// A stated resolution below this is enlarged towards 300 dpi.
    static let lowResolution = 150

    var base: PageRecognizer

    func recognize(_ image: PixImage, index: Int, dpi: Int, worker: RecognitionWorker,
                   cancellation: CancellationFlag) throws -> Page {
        let firstReading = try base.readUpright(image, index: index, dpi: dpi, worker: worker, cancellation: cancellation)
        let first = firstReading.page
        var steps: [String] = []
        let handle = try worker.handle(for: first.language)
        let upright = try image.rotated(clockwiseDegrees: first.rotation).grayscale()
        // An image that states no resolution is not taken for a low-resolution one.
        let scale = Self.scale(for: first, dpi: upright.resolution(or: (50...2400).contains(dpi) ? dpi : 300), image: upright)
        // A confident reading is kept unless its text is small (a low-resolution scan reads better
        // enlarged) or the lighting is uneven (text in the shadow may be missing from it).
        let evenLighting = try !upright.hasUnevenLighting()
        let unbordered = try upright.bordersCleared()
        if first.meanConfidence >= Self.confidentPage,
           firstReading.longWords < 5 || firstReading.dictionaryWordShare >= Self.confidentDictionaryShare,
           scale == 1, evenLighting, unbordered == nil {
            var page = first
            let reread = try rereadDoubtfulLines(of: &page, image: upright, scale: 1, settings: .standard,
                                                 handle: handle, cancellation: cancellation)
            if reread > 0 { steps.append("\(reread) lines reread") }
            page.engine = Self.engineName(steps)
            return page
        }

        // The clean-up every variant shares: enlargement of small text, then deskewing.
        var prepared = upright
        if let unbordered {
            // Before deskewing, which a black band along the edge would mislead.
            prepared = unbordered
            steps.append("scanner border removed")
        }
        if scale > 1 {
            prepared = try prepared.scaled(by: scale)
            steps.append(String(format: "rescaled ×%.1f", scale))
        }
        var skew = 0.0
        if let (turned, degrees) = try prepared.deskewed() {
            prepared = turned
            skew = degrees
            steps.append(String(format: "deskewed %.1f°", degrees))
        }

        var candidates: [Candidate] = [Candidate(page: first, image: upright, scale: 1, skew: 0, settings: .standard,
                                                 label: nil, dictionaryShare: firstReading.dictionaryWordShare,
                                                 longWords: firstReading.longWords, isFirstReading: true)]
        var variants: [(PixImage, ReadSettings, String?)] = []
        if prepared !== upright { variants.append((prepared, .standard, nil)) }
        variants.append((prepared, ReadSettings(binarisation: .adaptiveOtsu), "background normalised"))
        variants.append((prepared, ReadSettings(binarisation: .sauvola), "Sauvola threshold"))
        variants.append((try prepared.despeckled(), .standard, "despeckled"))
        if let segmentation = Self.singleTextSegmentation(first, image: upright) {
            variants.append((prepared, ReadSettings(segmentation: segmentation),
                             segmentation == .singleLine ? "read as one line" : "read as one word"))
        }
        for (variantImage, settings, label) in variants {
            if cancellation.isCancelled { throw EngineError.cancelled }
            let recognition = try handle.recognize(variantImage, pageIndex: index, seconds: base.secondsPerPage,
                                                   cancellation: cancellation, settings: settings)
            let page = Page(index: index, width: first.width, height: first.height, dpi: first.dpi,
                            rotation: first.rotation, source: .ocr, language: first.language, blocks: recognition.blocks)
            candidates.append(Candidate(page: page, image: variantImage, scale: scale, skew: skew, settings: settings,
                                        label: label, dictionaryShare: recognition.dictionaryWordShare,
                                        longWords: recognition.longWords, isFirstReading: false))
        }
        let best = Self.choose(candidates, evenLighting: evenLighting)
        worker.logger.debug("accurate pipeline", metadata: [
            "page": "\(index + 1)",
            "scores": "\(Self.describe(candidates))",
            "chosen": "\(best.name)",
        ])
        if best.isFirstReading {
            steps = []  // the cpu reading won: none of the clean-up is in the result
        } else if let label = best.label {
            steps.append(label)
        }
        var page = best.page
        let reread = try rereadDoubtfulLines(of: &page, image: best.image, scale: best.scale, settings: best.settings,
                                             handle: handle, cancellation: cancellation)
        if reread > 0 { steps.append("\(reread) lines reread") }
        if best.scale != 1 || best.skew != 0 {
            page.blocks = page.blocks.map { $0.mapped(scale: best.scale, skewDegrees: best.skew, imageWidth: best.image.width,
                                                      imageHeight: best.image.height, pageWidth: first.width,
                                                      pageHeight: first.height) }
        }
        page.engine = Self.engineName(steps)
        return page
    }

    /// How much more a threshold or filter variant must score than the gray reading of the same
    /// page to replace it: on an evenly lit page, where Tesseract's own threshold has nothing to
    /// fix, a few points of confidence are noise (a variant that scores 0.8 against 0.79 reads no
    /// better, and its different blocks may read in another order); under a shadow less is needed.
    static let variantMarginEvenLighting = 0.04
    static let variantMarginUnevenLighting = 0.015
    /// The margin when the enlargement or deskewing the variants share read worse on its own.
    static let variantMarginRejectedGeometry = 0.10
    /// How much lower the reading of the enlarged or deskewed page may score than the first one
    /// and still replace it: none (an enlargement or a turn of a page that did not need it
    /// blurs it a little and reads a little worse).
    static let geometryTolerance = 0.0

    /// The reading the page keeps, in two steps that each need evidence.
    ///
    /// 1. Geometry: the gray reading of the enlarged or deskewed page (when either was done)
    ///    replaces the first reading when it scores no lower and has no fewer dictionary words.
    /// 2. Thresholds and filters (background normalisation, Sauvola, the median, one-line
    ///    segmentation) replace that gray reading only when clearly better: a higher score by a
    ///    margin and at least as many dictionary words (more on an evenly lit page, where a
    ///    confident reading with fewer real words is what a binarised page that lost strokes looks like).
    static func choose(_ candidates: [Candidate], evenLighting: Bool) -> Candidate {
        let mostText = candidates.map(\.characters).max() ?? 0
        var base = candidates[0]
        if let geometric = candidates.dropFirst().first(where: { $0.label == nil }),
           geometric.score(mostText: mostText) >= base.score(mostText: mostText) - geometryTolerance,
           geometric.longWords < 5 && base.longWords < 5 || geometric.dictionaryWords >= base.dictionaryWords {
            base = geometric
        }
        var margin = evenLighting ? variantMarginEvenLighting : variantMarginUnevenLighting
        // The variants were read on the enlarged or deskewed image: when that geometry read worse
        // than the first reading, a variant needs a far larger gain (a 60 dpi fax that only reads
        // enlarged and thresholded: 0.66 → 0.95; a chart whose stated 96 dpi was wrong: 0.41 → 0.46).
        if let geometric = candidates.dropFirst().first(where: { $0.label == nil }),
           (geometric.scale, geometric.skew) != (base.scale, base.skew) {
            margin = max(margin, variantMarginRejectedGeometry)
        }
        let baseScore = base.score(mostText: mostText)
        let better = candidates.filter { candidate in
            guard candidate.label != nil, candidate.score(mostText: mostText) >= baseScore + margin else { return false }
            // Dictionary words only say something when there are enough words to count.
            guard candidate.longWords >= 5 || base.longWords >= 5 else { return true }
            return evenLighting ? candidate.dictionaryWords > base.dictionaryWords : candidate.dictionaryWords >= base.dictionaryWords
        }
        return better.max { $0.score(mostText: mostText) < $1.score(mostText: mostText) } ?? base
    }

    /// The candidates and their scores, for the debug log.
    static func describe(_ candidates: [Candidate]) -> String {
        let mostText = candidates.map(\.characters).max() ?? 0
        return candidates.map { candidate in
            String(format: "%@: %.3f (%d dictionary words of %d)", candidate.name, candidate.score(mostText: mostText),
                   candidate.dictionaryWords, candidate.longWords)
        }.joined(separator: ", ")
    }

    /// The per-page engine record: what the pipeline did to this page.
    static func engineName(_ steps: [String]) -> String {
        steps.isEmpty ? "vlm: accurate pipeline (tesseract-lstm)" : "vlm: accurate pipeline (tesseract-lstm; \(steps.joined(separator: ", ")))"
    }

    /// How much to enlarge a page whose text is small: from the words the first reading found
    /// (their median height), or from the resolution when it found too few to measure. Measured
    /// heights win over the stated resolution, which is often a default (96 or 72 dpi on a page
    /// scanned at 200 or more). The median unless the page states a low resolution: words without
    /// ascenders or descenders are only as tall as the x-height, and in a language of many short
    /// words (Russian "не", "на") a lower quartile took normal 10 pt text at 300 dpi for small text.
    static func scale(for page: Page, dpi: Int, image: PixImage) -> Double {
        let heights = page.words.filter { $0.text.count >= 2 }.map { Double($0.bbox.y1 - $0.bbox.y0) }.sorted()
        var factor = 1.0
        if heights.count >= 3 {
            // On a page that says it is low-resolution, the lower quartile: on very small text
            // Tesseract's word boxes can be far too tall.
            let typical = dpi < lowResolution ? heights[heights.count / 4] : heights[heights.count / 2]
            if typical < smallWordHeight { factor = targetWordHeight / max(typical, 4) }
        }
        // A resolution the file states and that is low (a fax, a thumbnail) says the same; when it
        // is a default that the page's text belies (96 dpi on a 200 dpi scan), the enlarged
        // reading scores lower and the choice keeps the first one.
        if dpi < lowResolution { factor = max(factor, 300 / Double(max(dpi, 50))) }
        factor = min(factor, maxScale)
        let pixels = Double(image.width * image.height) * factor * factor
        if pixels > Double(maxScaledPixels) { factor = (Double(maxScaledPixels) / Double(image.width * image.height)).squareRoot() }
        return factor > 1.15 ? (factor * 10).rounded() / 10 : 1
    }

    /// One line or one word on the whole image: Tesseract's layout analysis is skipped for it.
    static func singleTextSegmentation(_ page: Page, image: PixImage) -> ReadSettings.Segmentation? {
        let lines = page.blocks.flatMap(\.lines)
        if lines.count > 1 { return nil }
        let aspect = Double(image.width) / Double(max(image.height, 1))
        if let line = lines.first {
            let lineHeight = Double(line.bbox.y1 - line.bbox.y0)
            guard Double(image.height) < 3 * max(lineHeight, 8) else { return nil }
            return line.words.count == 1 ? .singleWord : .singleLine
        }
        // Nothing read at all: a strip is most likely one line.
        return aspect >= 4 && image.height <= 300 ? .singleLine : nil
    }

    /// A box of an enlarged cut-out, in the coordinates of the image it was cut from.
    static func placed(_ box: BoundingBox, dividedBy factor: Double, x: Int, y: Int) -> BoundingBox {
        func back(_ value: Int) -> Int { Int((Double(value) / factor).rounded()) }
        return BoundingBox(x0: x + back(box.x0), y0: y + back(box.y0), x1: x + back(box.x1), y1: y + back(box.y1))
    }

    /// Reads the doubtful lines of `page` (coordinates of `image`) again, cut out and enlarged, as
    /// single lines; keeps a new reading only when it is more confident. Returns how many changed.
    private func rereadDoubtfulLines(of page: inout Page, image: PixImage, scale: Double, settings: ReadSettings,
                                     handle: TesseractHandle, cancellation: CancellationFlag) throws -> Int {
        var changed = 0
        var budget = Self.maxRereadLines
        for blockIndex in page.blocks.indices {
            for lineIndex in page.blocks[blockIndex].lines.indices {
                let line = page.blocks[blockIndex].lines[lineIndex]
                guard line.confidence < Self.doubtfulLine, budget > 0 else { continue }
                budget -= 1
                if cancellation.isCancelled { throw EngineError.cancelled }
                let height = max(1, line.bbox.y1 - line.bbox.y0)
                let box = (x0: line.bbox.x0, y0: line.bbox.y0, x1: line.bbox.x1, y1: line.bbox.y1)
                guard let (cut, x, y) = try? image.cropped(to: box, margin: max(4, height / 3)) else { continue }
                let enlarge = Double(height) < Self.targetWordHeight ? min(3, Self.targetWordHeight * 1.5 / Double(height)) : 1
                let lineImage = enlarge > 1.15 ? try cut.scaled(by: enlarge) : cut
                let factor = enlarge > 1.15 ? enlarge : 1
                var lineSettings = settings
                lineSettings.segmentation = .singleLine
                let recognition = try handle.recognize(lineImage, pageIndex: page.index, seconds: base.secondsPerPage,
                                                       cancellation: cancellation, settings: lineSettings)
                let found: [Word] = recognition.blocks.flatMap { $0.lines.flatMap(\.words) }
                let words: [Word] = found.map { word in
                    Word(text: word.text, bbox: Self.placed(word.bbox, dividedBy: factor, x: x, y: y), confidence: word.confidence)
                }
                guard !words.isEmpty, let box = BoundingBox.union(words.map(\.bbox)) else { continue }
                let candidate = Line(bbox: box, confidence: words.map(\.confidence).mean, words: words)
                let oldLength = line.text.count, newLength = candidate.text.count
                // More confident, about as long (not a reading that dropped half the line), and its
                // words no less often in the dictionary than before.
                guard candidate.confidence > line.confidence + 0.03,
                      newLength * 10 >= oldLength * 7,
                      recognition.longWords == 0 || recognition.dictionaryWordShare >= 0.3 else { continue }
                page.blocks[blockIndex].lines[lineIndex] = candidate
                changed += 1
            }
            let lines = page.blocks[blockIndex].lines
            if let box = BoundingBox.union(lines.map(\.bbox)) { page.blocks[blockIndex].bbox = box }
            page.blocks[blockIndex].confidence = lines.flatMap(\.words).map(\.confidence).mean
        }
        return changed
    }
}

/// One reading of a page in the competition for the best.
struct Candidate {
    var page: Page
    var image: PixImage
    var scale: Double
    var skew: Double
    var settings: ReadSettings
    var label: String?
    var dictionaryShare: Double
    var longWords: Int
    /// The cpu tier's reading, before any clean-up.
    var isFirstReading: Bool

    var characters: Int { page.words.reduce(0) { $0 + $1.text.count } }
    /// How many of the longer words the dictionary knows.
    var dictionaryWords: Int { Int((dictionaryShare * Double(longWords)).rounded()) }
    /// What the debug log calls it.
    var name: String { label ?? (isFirstReading ? "cpu" : "cleaned") }

    /// Length-weighted confidence, less when the reading found clearly less text than the longest
    /// one, less when few of its longer words are in the dictionary.
    func score(mostText: Int) -> Double {
        let words = page.words
        guard characters > 0 else { return 0 }
        let confidence = words.reduce(0.0) { $0 + $1.confidence * Double($1.text.count) } / Double(characters)
        let coverage = mostText == 0 ? 1 : min(1, Double(characters) / (0.85 * Double(mostText)))
        let dictionary = longWords >= 5 ? 0.8 + 0.2 * dictionaryShare : 1
        return confidence * coverage * dictionary
    }
}

extension Block {
    /// The block with its boxes taken from an enlarged, deskewed image back to the page image.
    func mapped(scale: Double, skewDegrees: Double, imageWidth: Int, imageHeight: Int, pageWidth: Int, pageHeight: Int) -> Block {
        // Leptonica turned the page clockwise by `skewDegrees` (y down); turn the boxes back.
        let radians = -skewDegrees * .pi / 180
        let (cx, cy) = (Double(imageWidth) / 2, Double(imageHeight) / 2)
        func map(_ box: BoundingBox) -> BoundingBox {
            // The centre turns back about the image centre; the box keeps its size.
            let (x, y) = BoundingBox.turning(x: Double(box.x0 + box.x1) / 2, y: Double(box.y0 + box.y1) / 2, by: radians,
                                             centerX: cx, centerY: cy)
            let (halfWidth, halfHeight) = (Double(box.x1 - box.x0) / 2, Double(box.y1 - box.y0) / 2)
            func clampX(_ v: Double) -> Int { min(max(Int((v / scale).rounded()), 0), pageWidth) }
            func clampY(_ v: Double) -> Int { min(max(Int((v / scale).rounded()), 0), pageHeight) }
            return BoundingBox(x0: clampX(x - halfWidth), y0: clampY(y - halfHeight),
                               x1: clampX(x + halfWidth), y1: clampY(y + halfHeight))
        }
        return Block(bbox: map(bbox), confidence: confidence, lines: lines.map { line in
            Line(bbox: map(line.bbox), confidence: line.confidence,
                 words: line.words.map { Word(text: $0.text, bbox: map($0.bbox), confidence: $0.confidence) })
        })
    }
}
