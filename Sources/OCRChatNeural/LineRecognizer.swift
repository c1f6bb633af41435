import Foundation

/// One character the recogniser read, with where it lies along its line (0…1 of the line's width)
/// and how sure the network was.
struct ReadCharacter: Sendable {
    var text: String
    var position: Double
    var confidence: Double
}

/// PP-OCR's line recognition (SVTR + CTC) and its 0/180° line classifier, on boxes from detection.
///
/// Lines are cut out of the page along their box (turned level, sampled straight into the
/// network's 48-pixel height), read in batches of similar width (less padding), and decoded
/// greedily: the best character at each time step, repeats merged, blanks dropped. The time
/// step of each character says where it lies, so words get their own boxes.
struct LineRecognizer {
    let recognition: ONNXSession
    let classifier: ONNXSession?
    /// The model's characters; index 0 is CTC's blank, the last is a space.
    let characters: [String]

    /// The network's input height, and the narrowest batch (320 / 48, as PP-OCR pads to).
    static let inputHeight = 48
    static let minimumAspect = 320.0 / 48.0
    /// The widest line input: a longer line is squeezed (bounded work on a page of one huge line).
    static let maximumWidth = 3200
    static let batchSize = 6
    /// The classifier's input, and how sure it must be before a line is turned.
    static let classifierWidth = 192
    static let turnConfidence: Float = 0.9

    init(recognition: ONNXSession, classifier: ONNXSession?) throws {
        guard let list = try recognition.metadata("character"), !list.isEmpty else {
            throw NeuralError.modelUnavailable(file: "recognition model", detail: "its metadata has no character list")
        }
        self.recognition = recognition
        self.classifier = classifier
        self.characters = ["<blank>"] + list.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) + [" "]
    }

    /// Reads each box; the result is in the boxes' order. A box turned upside down (by the
    /// classifier's word) comes back turned.
    func read(_ boxes: [Quad], in image: RasterImage) throws -> [(quad: Quad, characters: [ReadCharacter])] {
        var quads = boxes
        if let classifier, !quads.isEmpty { quads = try upright(quads, in: image, classifier: classifier) }
        let aspects = quads.map { $0.width / max($0.height, 1) }
        let order = quads.indices.sorted { aspects[$0] < aspects[$1] }
        var results: [[ReadCharacter]] = Array(repeating: [], count: quads.count)
        let h = Self.inputHeight
        for start in stride(from: 0, to: order.count, by: Self.batchSize) {
            let batch = Array(order[start..<min(start + Self.batchSize, order.count)])
            let widest = max(Self.minimumAspect, batch.map { aspects[$0] }.max() ?? 1)
            let width = min(Self.maximumWidth, Int((Double(h) * widest).rounded(.up)))
            var input = [Float](repeating: 0, count: batch.count * 3 * h * width)
            var contentWidths: [Int] = []
            for (slot, index) in batch.enumerated() {
                let quad = quads[index]
                let content = max(1, min(width, Int((Double(h) * aspects[index]).rounded(.up))))
                contentWidths.append(content)
                image.fill(&input, offset: slot * 3 * h * width, planeStride: h * width, rowStride: width,
                           columns: content, rows: h, grid: Self.grid(for: quad, columns: content, rows: h))
            }
            let output = try recognition.run(input, shape: [batch.count, 3, h, width], argmax: true)
            guard output.shape.count == 3, output.shape[0] == batch.count, output.shape[2] == 2 else {
                throw NeuralError.runFailed(call: "recognition", detail: "unexpected output shape \(output.shape)")
            }
            let steps = output.shape[1]
            for (slot, index) in batch.enumerated() {
                results[index] = decode(output.values, slot: slot, steps: steps, inputWidth: width,
                                        contentWidth: contentWidths[slot])
            }
        }
        return zip(quads, results).map { ($0, $1) }
    }

    /// The sampling grid that cuts `quad` out level into `columns × rows` pixels.
    static func grid(for quad: Quad, columns: Int, rows: Int) -> SamplingGrid {
        let a = quad.topLeft, b = quad.topRight, d = quad.bottomLeft
        return SamplingGrid(originX: a.x, originY: a.y,
                            xStepX: (b.x - a.x) / Double(columns), xStepY: (b.y - a.y) / Double(columns),
                            yStepX: (d.x - a.x) / Double(rows), yStepY: (d.y - a.y) / Double(rows))
    }

    /// Greedy CTC decoding of one line: the best class at each step, repeats merged, blanks dropped.
    private func decode(_ values: [Float], slot: Int, steps: Int, inputWidth: Int, contentWidth: Int) -> [ReadCharacter] {
        var read: [ReadCharacter] = []
        var previous = -1
        // Step t covers input columns around (t + 0.5) · inputWidth / steps; the line's content
        // fills the first `contentWidth` of them.
        let columnsPerStep = Double(inputWidth) / Double(steps)
        for t in 0..<steps {
            let base = (slot * steps + t) * 2
            let index = Int(values[base]), confidence = Double(values[base + 1])
            defer { previous = index }
            guard index != 0, index != previous, index < characters.count else { continue }
            let position = min(1, (Double(t) + 0.5) * columnsPerStep / Double(contentWidth))
            read.append(ReadCharacter(text: characters[index], position: position, confidence: confidence))
        }
        return read
    }

    /// The boxes with those the classifier is sure are upside down turned the right way up.
    private func upright(_ quads: [Quad], in image: RasterImage, classifier: ONNXSession) throws -> [Quad] {
        var result = quads
        let h = Self.inputHeight, w = Self.classifierWidth
        for start in stride(from: 0, to: quads.count, by: Self.batchSize) {
            let batch = Array(start..<min(start + Self.batchSize, quads.count))
            var input = [Float](repeating: 0, count: batch.count * 3 * h * w)
            for (slot, index) in batch.enumerated() {
                let quad = quads[index]
                let content = max(1, min(w, Int((Double(h) * quad.width / max(quad.height, 1)).rounded(.up))))
                image.fill(&input, offset: slot * 3 * h * w, planeStride: h * w, rowStride: w, columns: content, rows: h,
                           grid: Self.grid(for: quad, columns: content, rows: h))
            }
            let output = try classifier.run(input, shape: [batch.count, 3, h, w])
            guard output.shape == [batch.count, 2] else {
                throw NeuralError.runFailed(call: "line classifier", detail: "unexpected output shape \(output.shape)")
            }
            for (slot, index) in batch.enumerated() where output.values[slot * 2 + 1] > Self.turnConfidence {
                result[index] = quads[index].turnedHalf
            }
        }
        return result
    }
}
