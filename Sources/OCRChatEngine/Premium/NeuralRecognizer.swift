import Foundation
import OCRChatModel
import OCRChatNeural

/// The vlm tier for one page: PP-OCR's neural reading beside the cpu tier's Tesseract reading,
/// merged line by line (`ReadingMerger`).
///
/// The cpu reading comes first: it settles the page's orientation and script and gives the
/// blocks and lines the layout step works on. Then detection finds where text lies, and the
/// neural model reads every box but those that only hold lines Tesseract read with confidence
/// (`ReadingMerger.isSettled`): on a clean page that is most of them, so the neural model reads
/// what Tesseract doubted and what it missed. Detection looks closely (up to 2000 pixels a side)
/// when Tesseract's reading of the page is doubtful, quickly (1024) otherwise.
///
/// A page in a script the neural model does not read (Cyrillic, Arabic, Devanagari…) keeps the
/// cpu reading at no extra cost. Without the models or the runtime, the page is the cpu reading
/// and its `engine` says why.
struct NeuralRecognizer {
    var base: PageRecognizer

    /// A page whose Tesseract reading is mostly in letters the neural model lacks is not sent to it.
    static let foreignPage = 0.5

    func recognize(_ image: PixImage, gray: PixImage, index: Int, dpi: Int, worker: RecognitionWorker,
                   cancellation: CancellationFlag) throws -> Page {
        let reading = try base.readUpright(image, gray: gray, index: index, dpi: dpi, worker: worker,
                                           cancellation: cancellation)
        var page = reading.page
        let reader: NeuralReader
        switch worker.neuralReader() {
        case .failure(let error):
            page.engine = "vlm: tesseract-lstm (the neural recogniser is unavailable: \(error))"
            return page
        case .success(let loaded):
            reader = loaded
        }
        let handle = try worker.handle(for: page.language)
        let merger = ReadingMerger(isDictionaryWord: { handle.isDictionaryWord($0) }, neuralReads: reader.canRead)
        if merger.foreignShare(page.words.map(\.text)) > Self.foreignPage {
            page.engine = "vlm: tesseract-lstm (\(page.language): a script PP-OCR does not read)"
            return page
        }
        if cancellation.isCancelled { throw EngineError.cancelled }
        // The neural model reads what Tesseract read: the upright page, levelled when it was
        // crooked (a slanted line's upright box spans the lines above and below it), and the two
        // readings are put together on that image; the words then go back onto the page as
        // Tesseract's did.
        let source = try reading.level?.image ?? image.rotated(clockwiseDegrees: page.rotation)
        let upright = try source.raster()
        let onPage: (BoundingBox) -> BoundingBox, onImage: (BoundingBox) -> BoundingBox
        if let level = reading.level {
            let (w, h, pw, ph) = (upright.width, upright.height, page.width, page.height)
            onPage = { $0.levelled(by: -level.degrees, imageWidth: w, imageHeight: h, pageWidth: pw, pageHeight: ph) }
            onImage = { $0.levelled(by: level.degrees, imageWidth: w, imageHeight: h, pageWidth: w, pageHeight: h) }
        } else {
            onPage = { $0 }
            onImage = { $0 }
        }
        var levelled = page
        levelled.blocks = page.blocks.map { $0.mapped(onImage) }
        let lines: [NeuralLine]
        let started = ContinuousClock.now
        do {
            let boxes = try reader.detect(upright, closely: reading.isDoubtful)
            let detected = ContinuousClock.now
            // Each line asked once: the check asks the dictionary of every word.
            let (settled, unsettled) = levelled.blocks.flatMap(\.lines).reduce(into: ([BoundingBox](), [BoundingBox]())) {
                if merger.isSettled($1) { $0.0.append($1.bbox) } else { $0.1.append($1.bbox) }
            }
            // A box that only covers lines Tesseract is sure of is not read again.
            let wanted = boxes.filter { box in
                unsettled.contains { ReadingMerger.overlaps($0, box.bbox) } || !settled.contains { ReadingMerger.overlaps($0, box.bbox) }
            }
            if cancellation.isCancelled { throw EngineError.cancelled }
            lines = try reader.read(wanted, in: upright)
            worker.logger.debug("page read by the neural model", metadata: [
                "page": "\(index + 1)", "closely": "\(reading.isDoubtful)", "boxes": "\(boxes.count)", "read": "\(wanted.count)",
                "detection": "\(detected - started)", "recognition": "\(ContinuousClock.now - detected)",
            ])
        } catch let error as NeuralError {
            page.engine = "vlm: tesseract-lstm (the neural recogniser failed on this page: \(error))"
            return page
        }
        var outcome = merger.merge(levelled, neural: lines)
        outcome.page.blocks = outcome.page.blocks.map { $0.mapped(onPage) }
        var merged = outcome.page
        merged.engine = "vlm: PP-OCRv6 on \(outcome.neuralLines) lines, tesseract-lstm on \(outcome.tesseractLines)"
        return merged
    }
}
