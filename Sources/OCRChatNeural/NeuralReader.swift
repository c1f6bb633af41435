import Foundation
import OCRChatModel
import Synchronization

/// A line the neural recogniser read: its words with their own boxes and confidences (0…1), in
/// page pixels.
public struct NeuralLine: Sendable, Equatable {
    public var words: [Word]
    /// The box detection found, upright around the line.
    public var bbox: BoundingBox
    /// The mean of its characters' confidences.
    public var confidence: Double

    public init(words: [Word], bbox: BoundingBox, confidence: Double) {
        self.words = words
        self.bbox = bbox
        self.confidence = confidence
    }

    public var text: String { words.map(\.text).joined(separator: " ") }
}

/// A box detection found: a text line at any angle, and its upright bounds in page pixels.
public struct TextBox: Sendable {
    let quad: Quad
    /// Where the box lies on the image, upright (what overlaps with other readings are judged on).
    public let bbox: BoundingBox

    init(quad: Quad, imageWidth: Int, imageHeight: Int) {
        self.quad = quad
        let xs = [quad.topLeft.x, quad.topRight.x, quad.bottomRight.x, quad.bottomLeft.x]
        let ys = [quad.topLeft.y, quad.topRight.y, quad.bottomRight.y, quad.bottomLeft.y]
        func clamp(_ v: Double, _ limit: Int) -> Int { min(max(Int(v.rounded()), 0), limit) }
        bbox = BoundingBox(x0: clamp(xs.min()!, imageWidth), y0: clamp(ys.min()!, imageHeight),
                           x1: clamp(xs.max()!, imageWidth), y1: clamp(ys.max()!, imageHeight))
    }
}

/// PP-OCR (detection, 0/180° line classifier, recognition) on ONNX Runtime: page images in,
/// lines with word boxes out. Loaded once per process and shared by its threads.
public final class NeuralReader: Sendable {
    private let detector: TextDetector
    private let recognizer: LineRecognizer
    /// The characters the recognition model knows (single code points only).
    private let alphabet: Set<Unicode.Scalar>
    /// What was loaded, for `ocrchat version` and the logs.
    public let description: String

    /// Most boxes read on one page (a hatched drawing makes thousands of specks); the most
    /// confident are kept.
    public static let maxLinesPerPage = 1500
    /// A line the recogniser is less sure of than this is dropped (PP-OCR's own text score).
    public static let minimumLineConfidence = 0.5

    init(locator: NeuralModelLocator) throws {
        guard let library = locator.library() else {
            throw NeuralError.runtimeUnavailable(detail: "libonnxruntime.so not found (install the onnxruntime wheel: "
                + "pip install onnxruntime, or set OCRCHAT_ONNXRUNTIME to the library)")
        }
        let detection = try locator.verified(NeuralModelLocator.detectionModel)
        let recognition = try locator.verified(NeuralModelLocator.recognitionModel)
        let classifier = try locator.verified(NeuralModelLocator.classifierModel)
        let runtime = try ONNXRuntime(libraryPath: library)
        self.detector = TextDetector(session: try runtime.session(model: detection))
        self.recognizer = try LineRecognizer(recognition: try runtime.session(model: recognition),
                                             classifier: try runtime.session(model: classifier))
        self.alphabet = Set(recognizer.characters.compactMap { $0.unicodeScalars.count == 1 ? $0.unicodeScalars.first : nil })
        self.description = "PP-OCRv6 small (detection, recognition) and the PP-OCR 0/180° classifier from "
            + "\((detection as NSString).deletingLastPathComponent), on ONNX Runtime \(runtime.version) (\(library))"
    }

    private static let shared = Mutex<[NeuralModelLocator: Result<NeuralReader, NeuralError>]>([:])

    /// The process's reader for `locator`, loaded on first use; the same error every time when
    /// the models or the runtime cannot be had.
    public static func load(_ locator: NeuralModelLocator = .standard()) -> Result<NeuralReader, NeuralError> {
        shared.withLock { cache in
            if let known = cache[locator] { return known }
            let result: Result<NeuralReader, NeuralError>
            do {
                result = .success(try NeuralReader(locator: locator))
            } catch let error as NeuralError {
                result = .failure(error)
            } catch {
                result = .failure(.runtimeUnavailable(detail: "\(error)"))
            }
            cache[locator] = result
            return result
        }
    }

    /// Whether the recognition model has this character (it reads Latin, Greek, Chinese and
    /// Japanese, not Cyrillic, Arabic or Devanagari).
    public func canRead(_ scalar: Unicode.Scalar) -> Bool { alphabet.contains(scalar) }

    /// Where text lies on an (upright) page image: boxes in its pixels. `closely` looks at up to
    /// 2000 pixels a side (small text on a poor scan), else at 1024 (a quarter of the work).
    public func detect(_ image: RasterImage, closely: Bool) throws -> [TextBox] {
        var boxes = try detector.detect(image, closely: closely)
        if boxes.count > Self.maxLinesPerPage {
            boxes = Array(boxes.sorted { $0.score > $1.score }.prefix(Self.maxLinesPerPage))
        }
        return boxes.map { TextBox(quad: $0.quad, imageWidth: image.width, imageHeight: image.height) }
    }

    /// The lines in `boxes`, read; a line the model is unsure of is left out.
    public func read(_ boxes: [TextBox], in image: RasterImage) throws -> [NeuralLine] {
        let read = try recognizer.read(boxes.map(\.quad), in: image)
        return read.compactMap { quad, characters in
            guard let line = Self.line(quad: quad, characters: characters, image: image),
                  line.confidence >= Self.minimumLineConfidence else { return nil }
            return line
        }
    }

    /// Detection and reading of every line, top to bottom.
    public func read(_ image: RasterImage) throws -> [NeuralLine] {
        try read(detect(image, closely: true), in: image).sorted {
            ($0.bbox.y0 + $0.bbox.y1, $0.bbox.x0) < ($1.bbox.y0 + $1.bbox.y1, $1.bbox.x0)
        }
    }

    /// Words from the characters of one line: split at spaces, each boxed from where its
    /// characters lie along the line (halfway to the neighbouring characters).
    static func line(quad: Quad, characters: [ReadCharacter], image: RasterImage) -> NeuralLine? {
        let kept = characters.enumerated().filter { !$0.element.text.trimmingCharacters(in: .whitespaces).isEmpty }
        guard !kept.isEmpty else { return nil }
        // A character's span: from halfway to the one before to halfway to the one after.
        let positions = characters.map(\.position)
        let typicalGap = positions.count > 1 ? (positions.last! - positions.first!) / Double(positions.count - 1) : 0.5
        func left(_ i: Int) -> Double { i > 0 ? (positions[i - 1] + positions[i]) / 2 : max(0, positions[i] - typicalGap / 2) }
        func right(_ i: Int) -> Double {
            i + 1 < positions.count ? (positions[i] + positions[i + 1]) / 2 : min(1, positions[i] + typicalGap / 2)
        }
        var words: [Word] = []
        var current: [Int] = []
        func flush() {
            guard let first = current.first, let last = current.last else { return }
            let text = current.map { characters[$0].text }.joined()
            let box = quad.bounds(fromU: left(first), toU: right(last))
            func clampX(_ v: Double) -> Int { min(max(Int(v.rounded()), 0), image.width) }
            func clampY(_ v: Double) -> Int { min(max(Int(v.rounded()), 0), image.height) }
            let confidence = current.map { characters[$0].confidence }.reduce(0, +) / Double(current.count)
            words.append(Word(text: text, bbox: BoundingBox(x0: clampX(box.x0), y0: clampY(box.y0), x1: clampX(box.x1),
                                                            y1: clampY(box.y1)),
                              confidence: confidence))
            current = []
        }
        for (index, character) in characters.enumerated() {
            if character.text.trimmingCharacters(in: .whitespaces).isEmpty { flush() } else { current.append(index) }
        }
        flush()
        guard let bbox = BoundingBox.union(words.map(\.bbox)) else { return nil }
        let confidence = kept.map(\.element.confidence).reduce(0, +) / Double(kept.count)
        return NeuralLine(words: words, bbox: bbox, confidence: confidence)
    }
}
