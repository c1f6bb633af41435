import CTesseract
import Foundation
import OCRChatModel
import Synchronization

/// One Tesseract instance with one model loaded: the one owner of the `TessBaseAPI` pointer.
///
/// Not thread-safe (Tesseract is not): a handle lives on one worker thread of the pool and is used
/// there only, one page at a time.
final class TesseractHandle {
    private let api: OpaquePointer
    /// The Tesseract language string the model was loaded with (`eng`, `deu+eng`, `osd`).
    let language: String

    /// Loads `language` from `dataPath` (a folder holding the `.traineddata` files).
    init(language: String, dataPath: String) throws {
        guard let api = TessBaseAPICreate() else {
            throw EngineError.nativeFailure(call: "TessBaseAPICreate", detail: "no memory for a Tesseract instance")
        }
        guard TessBaseAPIInit3(api, dataPath, language) == 0 else {
            TessBaseAPIDelete(api)
            throw EngineError.engineStartFailed(language: language, detail: "the model in \(dataPath) did not load")
        }
        self.api = api
        self.language = language
        // Tesseract's own chatter (resolution guesses, warnings) would go to stderr.
        TessBaseAPISetVariable(api, "debug_file", "/dev/null")
    }

    deinit {
        TessBaseAPIEnd(api)
        TessBaseAPIDelete(api)
    }

    /// Recognises the whole image with automatic page segmentation and returns its blocks.
    ///
    /// - Parameters:
    ///   - seconds: Tesseract's deadline; past it recognition stops and this throws.
    ///   - cancellation: checked by Tesseract while it works.
    func recognize(_ image: PixImage, pageIndex: Int, seconds: Double, cancellation: CancellationFlag) throws -> Recognition {
        defer { TessBaseAPIClear(api) }
        TessBaseAPISetPageSegMode(api, PSM_AUTO)
        TessBaseAPISetImage2(api, image.pix)
        guard let monitor = TessMonitorCreate() else {
            throw EngineError.nativeFailure(call: "TessMonitorCreate", detail: "no memory")
        }
        defer { TessMonitorDelete(monitor) }
        TessMonitorSetDeadlineMSecs(monitor, Int32(clamping: Int((seconds * 1000).rounded())))
        TessMonitorSetCancelThis(monitor, Unmanaged.passUnretained(cancellation).toOpaque())
        TessMonitorSetCancelFunc(monitor) { context, _ in
            guard let context else { return false }
            return Unmanaged<CancellationFlag>.fromOpaque(context).takeUnretainedValue().isCancelled
        }
        let started = ContinuousClock.now
        let status = TessBaseAPIRecognize(api, monitor)
        if cancellation.isCancelled { throw EngineError.cancelled }
        if status != 0 {
            let elapsed = ContinuousClock.now - started
            if elapsed >= .milliseconds(Int64(seconds * 1000)) {
                throw EngineError.pageTimedOut(page: pageIndex, seconds: seconds)
            }
            throw EngineError.nativeFailure(call: "TessBaseAPIRecognize", detail: "recognition failed on page \(pageIndex + 1)")
        }
        return readResult()
    }

    /// Walks Tesseract's result: paragraphs become blocks, then lines, then words.
    private func readResult() -> Recognition {
        guard let iterator = TessBaseAPIGetIterator(api) else { return Recognition(blocks: [], dictionaryWordShare: 0, longWords: 0) }
        defer { TessResultIteratorDelete(iterator) }
        let pageIterator = TessResultIteratorGetPageIterator(iterator)
        var blocks: [[[Word]]] = []
        var longWords = 0, dictionaryWords = 0
        repeat {
            guard let textPointer = TessResultIteratorGetUTF8Text(iterator, RIL_WORD) else { continue }
            let text = String(cString: textPointer).trimmingCharacters(in: .whitespacesAndNewlines)
            TessDeleteText(textPointer)
            guard !text.isEmpty else { continue }
            var left: Int32 = 0, top: Int32 = 0, right: Int32 = 0, bottom: Int32 = 0
            TessPageIteratorBoundingBox(pageIterator, RIL_WORD, &left, &top, &right, &bottom)
            let confidence = Double(TessResultIteratorConfidence(iterator, RIL_WORD)) / 100
            if text.unicodeScalars.filter(\.properties.isAlphabetic).count >= 3 {
                longWords += 1
                if TessResultIteratorWordIsFromDictionary(iterator) != 0 { dictionaryWords += 1 }
            }
            let word = Word(text: text, bbox: BoundingBox(x0: Int(left), y0: Int(top), x1: Int(right), y1: Int(bottom)),
                            confidence: min(max(confidence, 0), 1))
            if blocks.isEmpty || TessPageIteratorIsAtBeginningOf(pageIterator, RIL_PARA) != 0 {
                blocks.append([[word]])
            } else if TessPageIteratorIsAtBeginningOf(pageIterator, RIL_TEXTLINE) != 0 || blocks[blocks.count - 1].isEmpty {
                blocks[blocks.count - 1].append([word])
            } else {
                blocks[blocks.count - 1][blocks[blocks.count - 1].count - 1].append(word)
            }
        } while TessResultIteratorNext(iterator, RIL_WORD) != 0
        let share = longWords == 0 ? 0 : Double(dictionaryWords) / Double(longWords)
        return Recognition(blocks: blocks.compactMap { lineWords in
            let lines = lineWords.compactMap { words -> Line? in
                guard let box = BoundingBox.union(words.map(\.bbox)) else { return nil }
                return Line(bbox: box, confidence: words.map(\.confidence).mean, words: words)
            }
            guard let box = BoundingBox.union(lines.map(\.bbox)) else { return nil }
            return Block(bbox: box, confidence: lines.flatMap(\.words).map(\.confidence).mean, lines: lines)
        }, dictionaryWordShare: share, longWords: longWords)
    }

    /// Whether the model's dictionary knows `word` (its word list, as Tesseract's own readings are checked).
    func isDictionaryWord(_ word: String) -> Bool {
        TessBaseAPIIsValidWord(api, word) != 0
    }

    /// Orientation and script of the image; only meaningful on a handle loaded with `osd`.
    func detectOrientation(_ image: PixImage) -> OrientationGuess? {
        defer { TessBaseAPIClear(api) }
        TessBaseAPISetPageSegMode(api, PSM_OSD_ONLY)
        TessBaseAPISetImage2(api, image.pix)
        var degrees: Int32 = 0
        var orientationConfidence: Float = 0
        var scriptName: UnsafePointer<CChar>?
        var scriptConfidence: Float = 0
        guard TessBaseAPIDetectOrientationScript(api, &degrees, &orientationConfidence, &scriptName, &scriptConfidence) != 0 else {
            return nil
        }
        return OrientationGuess(
            // Tesseract reports how far the page is turned counter-clockwise; undo it clockwise.
            clockwiseCorrection: (360 - Int(degrees)) % 360,
            orientationConfidence: Double(orientationConfidence),
            script: scriptName.map { String(cString: $0) } ?? "",
            scriptConfidence: Double(scriptConfidence))
    }
}

/// What Tesseract read on a page.
struct Recognition {
    var blocks: [Block]
    /// Share of the words of three letters or more that are in the model's dictionary: low when the
    /// page is read with the wrong script's model (Cyrillic read as English, say).
    var dictionaryWordShare: Double
    /// Words of three letters or more.
    var longWords: Int
}

/// What orientation and script detection found on a page.
struct OrientationGuess: Equatable {
    /// Clockwise turn in degrees that makes the page upright.
    var clockwiseCorrection: Int
    var orientationConfidence: Double
    /// Tesseract's script name (`Latin`, `Cyrillic`, `Arabic`, `Han`, …).
    var script: String
    var scriptConfidence: Double
}

/// A flag that a task sets and Tesseract polls while it recognises.
final class CancellationFlag: Sendable {
    private let state = Atomic<Bool>(false)

    var isCancelled: Bool { state.load(ordering: .relaxed) }

    func cancel() { state.store(true, ordering: .relaxed) }
}
