import Foundation
import Logging
import OCRChatLayout
import OCRChatModel
import Synchronization

/// Reads one page image on one worker: recognition, and when the result is doubtful, orientation
/// and script detection followed by another reading turned upright or with the detected script's
/// model.
///
/// An upright page in the expected script costs one recognition and nothing more; another
/// reading is kept only when it is better, so the check never makes a page worse.
struct PageRecognizer {
    /// Below this mean word confidence a page is checked for orientation and script.
    static let checkBelowConfidence = 0.80
    /// Below this share of dictionary words (among words of three letters or more) a page is
    /// checked too: a page read with the wrong script's model is confident nonsense.
    static let checkBelowDictionaryShare = 0.35
    /// Orientation detection must be at least this sure before a page is turned.
    static let minimumOrientationConfidence = 4.0
    /// Script detection must be at least this sure before another model is tried.
    static let minimumScriptConfidence = 0.5
    /// Up to this size (a line, a snippet) every installed script's model may be tried when
    /// detection finds too little to judge.
    static let smallImagePixels = 2_000_000
    /// Under `auto`, a page of unknown language is sampled a strip of this fraction of its height
    /// at a time (`sampledLanguage`).
    static let sampleStripsPerPage = 12
    /// How much lower a reading with the detected script's model may score and still be chosen.
    static let scriptModelMargin = 0.15

    /// The Tesseract language to read with, or nil for `auto`.
    var language: String?
    var secondsPerPage: Double
    /// Under `auto`, what earlier pages of the same document taught: their script's model.
    var memory = LanguageMemory()
    /// Orders and classifies what was read (reading order, headings, tables); nil keeps the
    /// recogniser's own blocks.
    var layout: PageLayout?

    /// The first model tried under `auto`: English, or the first installed one.
    static func autoLanguage(_ models: ModelLocator) -> String {
        models.isInstalled("eng") ? "eng" : (models.installedLanguages.first ?? "eng")
    }

    /// The tier's pipeline: the vlm tier starts from this reading and adds the neural one.
    var tier: Tier = .cpu

    func recognize(_ image: PixImage, index: Int, dpi: Int, worker: RecognitionWorker,
                   cancellation: CancellationFlag) throws -> Page {
        // The checks and the ruling search threshold a gray copy: a colour page is made gray once
        // for both (Tesseract still reads the colour image, which it thresholds its own way).
        let gray = try StageTimings.measure(.gray) { try image.grayscale() }
        // A blank page (a born-digital document's empty verso, a separator sheet) has nothing to read:
        // without this it would be sampled, read and checked for orientation, all to find nothing.
        if gray.isBlank {
            worker.logger.debug("page is blank: not read", metadata: ["page": "\(index + 1)"])
            return Page(index: index, width: image.width, height: image.height, dpi: dpi, rotation: 0, source: .ocr,
                        language: language ?? memory.preferred ?? Self.autoLanguage(worker.models), blocks: [])
        }
        let page: Page
        if tier == .vlm {
            page = try NeuralRecognizer(base: self).recognize(image, gray: gray, index: index, dpi: dpi, worker: worker,
                                                              cancellation: cancellation)
        } else {
            page = try readUpright(image, gray: gray, index: index, dpi: dpi, worker: worker, cancellation: cancellation).page
        }
        guard let layout else { return page }
        return try Self.laidOut(page, image: gray, layout: layout)
    }

    /// The cpu tier's reading: one recognition, and for a doubtful page orientation and script.
    func readUpright(_ image: PixImage, gray: PixImage? = nil, index: Int, dpi: Int, worker: RecognitionWorker,
                     cancellation: CancellationFlag) throws -> Reading {
        let fallback = Self.autoLanguage(worker.models)
        let remembered = language == nil ? memory.preferred : nil
        var firstLanguage = language ?? remembered ?? fallback
        // A page that clearly looks turned is checked before its first reading, not after a
        // reading of nonsense; every other page pays for detection only when its reading is doubtful.
        let early = StageTimings.measure(.orientation) {
            TurnedPageCheck.looksTurned(gray ?? image) ? worker.orientationDetector()?.detectOrientation(image) : nil
        }
        let earlyRotation = Self.confidentRotation(early)
        let upright = try image.rotated(clockwiseDegrees: earlyRotation)
        if language == nil, remembered == nil,
           let sampled = try StageTimings.measure(.script, {
               try sampledLanguage(upright, index: index, worker: worker, cancellation: cancellation) }) {
            firstLanguage = sampled
        }
        var best = try read(upright, index: index, dpi: dpi, rotation: earlyRotation, language: firstLanguage,
                            worker: worker, cancellation: cancellation)
        // The document's later pages start from the model(s) this page was read with: one that beat the
        // default, or the default itself when the text is identified as its language (so they need no
        // sample). Both languages of a mixed page are carried over: the next page of a bilingual
        // document is likely mixed too, and a page of one of them reads as well with both.
        defer {
            let kept = best.page.language
            if language == nil, kept != remembered, kept != fallback || best.readsItsLanguage {
                memory.prefer(kept)
            }
        }
        guard best.isDoubtful, let detector = worker.orientationDetector() else {
            if language == nil {
                best = try identified(best, image: upright, remembered: remembered, worker: worker, cancellation: cancellation)
            }
            return best
        }
        let guess = early ?? StageTimings.measure(.orientation) { detector.detectOrientation(image) }
        let rotation = Self.confidentRotation(guess)
        // Under auto, a confident non-Latin script picks its model, even when that model reports
        // lower confidence than English reading the same glyphs (confidences of different models
        // are not comparable); back from a remembered model to the default is decided by confidence.
        var scriptModel: String?
        var candidates: [String] = []
        if language == nil {
            let detected = guess.flatMap { guess in
                LanguageCodes.modelsForScript[guess.script]?.first(where: worker.models.isInstalled)
            }
            if let guess, let detected, detected != firstLanguage, guess.scriptConfidence >= Self.minimumScriptConfidence {
                scriptModel = detected
                candidates.append(detected)
            } else if best.isNonsense {
                // Detection is unsure (or, on a line or a snippet, found too little to judge, or said
                // Latin of a Latin reading that is no language at all: old Cyrillic print) and the
                // reading is nonsense: let each installed script's model have a go, best reading wins.
                if let detected, detected != firstLanguage { candidates.append(detected) }
                let latinButNoLanguage = guess?.script == "Latin" && LanguageIdentifier.identify(best.page.text) == nil
                if guess == nil || latinButNoLanguage, image.width * image.height <= Self.smallImagePixels {
                    candidates += worker.models.modelPerScript.filter { $0 != firstLanguage && !candidates.contains($0) }
                }
            }
            // Back to the default only when the reading is not of its own model's language: a doubtful
            // page (code, a table of numbers) whose text is that language has nothing to gain from it,
            // and English text read with another model is identified as English and re-read after.
            if candidates.isEmpty, firstLanguage != fallback, !best.readsItsLanguage { candidates.append(fallback) }
        }
        if rotation != earlyRotation { candidates.insert(firstLanguage, at: 0) }
        worker.logger.debug("page checked", metadata: [
            "page": "\(index + 1)", "script": "\(guess?.script ?? "?")",
            "script_confidence": "\(guess?.scriptConfidence ?? 0)", "rotate": "\(rotation)",
            "orientation_confidence": "\(guess?.orientationConfidence ?? 0)", "trying": "\(candidates)",
        ])
        let turned = try image.rotated(clockwiseDegrees: rotation)
        for candidate in candidates {
            let reading = try read(turned, index: index, dpi: dpi, rotation: rotation, language: candidate,
                                   worker: worker, cancellation: cancellation, stage: .reread)
            let margin = candidate == scriptModel ? Self.scriptModelMargin : 0
            if isBetter(reading, than: best, margin: margin) { best = reading }
        }
        if language == nil {
            best = try identified(best, image: try image.rotated(clockwiseDegrees: best.page.rotation), remembered: remembered,
                                  worker: worker, cancellation: cancellation)
        }
        return best
    }

    /// The turn detection is sure enough of to act on, else none.
    private static func confidentRotation(_ guess: OrientationGuess?) -> Int {
        guard let guess, guess.orientationConfidence >= minimumOrientationConfidence else { return 0 }
        return guess.clockwiseCorrection
    }

    /// Smallest skew the cpu tier turns a page for, in degrees. Tesseract reads a page a degree
    /// crooked well; at two to four degrees it drops whole lines and paragraphs (a page of a TeX
    /// manual, turned 3.5°, lost seven lines), and a level reading does not.
    static let minimumDeskewDegrees = 1.0
    /// Smallest side of an image whose skew is measured: a line or a snippet is no page (its skew,
    /// measured on one line, is not sure, and Tesseract drops no line of it).
    static let minimumDeskewSide = 250

    func read(_ image: PixImage, index: Int, dpi: Int, rotation: Int, language: String,
              worker: RecognitionWorker, cancellation: CancellationFlag,
              stage: StageTimings.Stage = .recognise) throws -> Reading {
        let handle = try worker.handle(for: language)
        let level = try StageTimings.measure(.deskew) {
            min(image.width, image.height) >= Self.minimumDeskewSide
                ? try image.deskewed(minimumDegrees: Self.minimumDeskewDegrees) : nil
        }
        let recognition = try StageTimings.measure(stage) {
            try handle.recognize(level?.image ?? image, pageIndex: index, seconds: secondsPerPage, cancellation: cancellation)
        }
        var blocks = recognition.blocks
        if let level {
            // The words go back onto the page as it was given (the searchable PDF and the boxes are
            // the original image's).
            blocks = blocks.map { $0.mapped(skewDegrees: level.degrees, imageWidth: level.image.width,
                                            imageHeight: level.image.height, pageWidth: image.width, pageHeight: image.height) }
        }
        let page = Page(index: index, width: image.width, height: image.height, dpi: dpi, rotation: rotation,
                        source: .ocr, language: language, blocks: blocks)
        worker.logger.debug("page read", metadata: [
            "page": "\(index + 1)", "language": "\(language)", "rotation": "\(rotation)",
            "confidence": "\(page.meanConfidence)", "dictionary_share": "\(recognition.dictionaryWordShare)",
        ])
        return Reading(page: page, dictionaryWordShare: recognition.dictionaryWordShare,
                       longWords: recognition.longWords, level: level)
    }
}

/// One reading of a page with what it says about its own quality.
struct Reading {
    var page: Page
    var dictionaryWordShare: Double
    var longWords: Int
    /// The levelled image Tesseract read and the angle it was turned by, when the page was crooked
    /// (the words are already back on the page as it was given).
    var level: (image: PixImage, degrees: Double)?

    /// So poor that another script's model is worth trying even without detection's word for it.
    var isNonsense: Bool {
        page.words.isEmpty || page.meanConfidence < 0.6 || (longWords >= 3 && dictionaryWordShare < 0.2)
    }

    var isDoubtful: Bool {
        page.words.isEmpty
            || page.meanConfidence < PageRecognizer.checkBelowConfidence
            || (longWords >= 5 && dictionaryWordShare < PageRecognizer.checkBelowDictionaryShare
                && !LanguageCodes.readsUnspacedScript(page.language))
    }
}

/// The model(s) that served a document's earlier pages better than the default, shared by the
/// pages of one document while they are read in parallel.
final class LanguageMemory: Sendable {
    private let model = Mutex<String?>(nil)

    var preferred: String? { model.withLock { $0 } }

    func prefer(_ language: String) { model.withLock { $0 = language } }
}

extension Page {
    /// Confidence weighted by the length of each word: a reading of many confident long words
    /// beats one of a few confident specks.
    var qualityScore: Double {
        let words = self.words
        let characters = words.reduce(0) { $0 + $1.text.count }
        guard characters > 0 else { return 0 }
        let weighted = words.reduce(0.0) { $0 + $1.confidence * Double($1.text.count) } / Double(characters)
        // Prefer the reading that found text at all, then the more confident one.
        return weighted * min(1, Double(characters) / 20)
    }
}
