import Foundation
import OCRChatLocalModel
import OCRChatModel
import Synchronization

/// A local vision-language model behind an OpenAI-compatible `chat/completions` endpoint (a
/// llama.cpp server, Ollama, vLLM on the same machine), which the vlm tier asks to transcribe pages.
public struct VisionModelEndpoint: Sendable, Equatable {
    /// The endpoint: a base such as `http://127.0.0.1:8081/v1` (`/chat/completions` is added) or
    /// the full `…/chat/completions` URL.
    public var url: URL
    /// The model name sent in each request.
    public var model: String
    /// Longest one page's request may take, in seconds.
    public var timeout: Double

    public init(url: URL, model: String, timeout: Double = 180) {
        self.url = url
        self.model = model
        self.timeout = timeout
    }

    /// The `chat/completions` URL requests go to.
    public var completionsURL: URL {
        url.path.hasSuffix("/chat/completions") ? url : url.appendingPathComponent("chat/completions")
    }
}

/// What the vision model is asked, and how its answer becomes a page.
struct VisionTranscriber: Sendable {
    let endpoint: VisionModelEndpoint
    /// The local-model client the chat and translation use too, one per document.
    private let client: ChatModelClient

    init(endpoint: VisionModelEndpoint) {
        self.endpoint = endpoint
        client = ChatModelClient(completionsURL: endpoint.completionsURL, model: endpoint.model, timeoutSeconds: endpoint.timeout)
    }

    /// The instruction for printed pages: Markdown, LaTeX for mathematics, nothing added.
    static let printedPrompt = """
        Transcribe all the text on this page image exactly, in reading order. Use Markdown for \
        headings, lists and tables, and LaTeX between $ signs for mathematics. Keep the original \
        language and spelling. Answer with the transcription only, no comments.
        """
    /// The instruction for handwriting.
    static let handwritingPrompt = """
        This page is handwritten. Transcribe the handwriting exactly, line by line, in reading \
        order, keeping the original language and spelling; use LaTeX between $ signs for \
        mathematics and [illegible] for words that cannot be read. Answer with the transcription \
        only, no comments.
        """

    /// The instruction for one region cut from a page.
    static let regionPrompt = """
        This image is one region (a block of text) cut out of a scanned page. Transcribe all the \
        text in it exactly, line by line, in reading order; use LaTeX between $ signs for \
        mathematics. Keep the original language and spelling. Answer with the transcription only, \
        no comments.
        """

    /// A block below this confidence is doubtful: the model is asked to read it.
    static let doubtfulBlock = 0.90
    /// A page with at least this share of its text in confident blocks is mostly confident: only
    /// its doubtful blocks go to the model, cut out, rather than the whole page.
    static let mostlyConfident = 0.5
    /// More doubtful blocks than this on a mostly confident page: the whole page goes instead.
    static let maxRegions = 8
    /// Pixels of page kept around a block's box in its cut-out (letters reaching out of the box).
    static let regionMargin = 10

    /// What is sent to the model for one page.
    enum Plan: Equatable {
        /// The whole page (handwriting, a doubtful page, a page the pipeline found nothing on).
        case wholePage
        /// Only these blocks (indices into the page's blocks), each cut out with its box.
        case regions([Int])
        /// Nothing: every block is confident.
        case nothing
    }

    /// Whole page or regions: handwriting and pages that are mostly doubtful go whole (the model
    /// reads them better than the pipeline); on a mostly confident page only the doubtful blocks
    /// go (a table keeps the pipeline's cells and is never sent alone).
    static func plan(for page: Page, handwriting: Bool) -> Plan {
        if handwriting { return .wholePage }
        let sizes = page.blocks.map { $0.lines.reduce(0) { $0 + $1.text.count } }
        let total = sizes.reduce(0, +)
        guard total > 0 else { return .wholePage }
        let doubtful = page.blocks.indices.filter { page.blocks[$0].confidence < doubtfulBlock }
        let doubtfulText = doubtful.reduce(0) { $0 + sizes[$1] }
        guard Double(total - doubtfulText) >= mostlyConfident * Double(total) else { return .wholePage }
        let regions = doubtful.filter { page.blocks[$0].kind != .table }
        if regions.isEmpty { return .nothing }
        return regions.count > maxRegions ? .wholePage : .regions(regions)
    }

    /// The page read by the model, its text placed on the pipeline's lines; or the page
    /// as it was, with the failure recorded in its `engine`, when the model does not answer.
    func transcribe(_ page: Page, image: PixImage, handwriting: Bool) async -> (page: Page, failure: String?) {
        do {
            switch Self.plan(for: page, handwriting: handwriting) {
            case .nothing:
                var kept = page
                kept.engine = (page.engine ?? "vlm")
                    + "; every block confident, so the vision model \(endpoint.model) was not asked"
                return (kept, nil)
            case .wholePage:
                let png = try await offload { try image.pngData() }
                let text = try await ask(png: png, prompt: handwriting ? Self.handwritingPrompt : Self.printedPrompt)
                guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    throw VisionModelError.emptyAnswer
                }
                var merged = Self.merge(text, into: page)
                merged.engine = "vlm: vision model \(endpoint.model) (text from the model, boxes from the pipeline's lines)"
                return (merged, nil)
            case .regions(let indices):
                var merged = page
                for index in indices {
                    let block = page.blocks[index]
                    let box = (x0: block.bbox.x0, y0: block.bbox.y0, x1: block.bbox.x1, y1: block.bbox.y1)
                    let png = try await offload { try image.cropped(to: box, margin: Self.regionMargin).image.pngData() }
                    let text = try await ask(png: png, prompt: Self.regionPrompt)
                    guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                        throw VisionModelError.emptyAnswer
                    }
                    merged.blocks[index] = Self.merge(text, into: block, page: page)
                }
                merged.engine = "vlm: vision model \(endpoint.model) on \(indices.count) of \(page.blocks.count) blocks "
                    + "(the doubtful regions, text from the model on the layout's boxes); the rest: "
                    + (page.engine ?? "vlm")
                return (merged, nil)
            }
        } catch {
            var kept = page
            let reason = "\(error)"
            kept.engine = (page.engine ?? "vlm")
                + "; the vision model \(endpoint.model) at \(endpoint.completionsURL.absoluteString) failed (\(reason)), so this is the pipeline's reading"
            return (kept, reason)
        }
    }

    /// The model's reading of one block's cut-out in place of the block's lines: the block keeps
    /// its box and kind, the model's lines take the pipeline's line boxes (as `merge` does on a page).
    static func merge(_ text: String, into block: Block, page: Page) -> Block {
        var region = page
        region.blocks = [block]
        let lines = merge(text, into: region).blocks.flatMap(\.lines)
        var result = block
        result.lines = lines
        result.translation = nil
        return result
    }

    /// One request through the local-model client: the prompt and the picture; the answer's text.
    func ask(png: Data, prompt: String) async throws -> String {
        Self.strippingCodeFence(try await client.complete([ChatModelMessage(role: "user", content: prompt, images: [png])]))
    }

    /// Models often wrap a transcription in a ```markdown fence; the fence is not page text.
    static func strippingCodeFence(_ text: String) -> String {
        var lines = text.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n")
        if lines.first?.hasPrefix("```") == true, lines.last?.trimmingCharacters(in: .whitespaces) == "```", lines.count >= 2 {
            lines.removeFirst()
            lines.removeLast()
        }
        return lines.joined(separator: "\n")
    }

    /// The model's text as blocks (paragraphs: blank-line separated) of lines, each line placed on
    /// the pipeline's lines in reading order: with as many lines as the pipeline found,
    /// line k takes line k's box; with more, consecutive model lines share a box (split in height);
    /// with fewer, a model line spans the boxes of the lines it stands for. Words are spread over
    /// their line's width by length. A page where the pipeline found nothing gets boxes spread down
    /// the whole page. The model gives no confidence: each word gets the confidence of the
    /// pipeline's line it lies on.
    static func merge(_ text: String, into page: Page) -> Page {
        let paragraphs = text.components(separatedBy: "\n\n")
            .map { $0.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            .filter { !$0.isEmpty }
        let modelLines = paragraphs.flatMap { $0 }
        var slots = page.blocks.flatMap(\.lines).map { (box: $0.bbox, confidence: $0.confidence) }
        if slots.isEmpty {
            let height = max(1, page.height / max(modelLines.count, 1))
            slots = modelLines.indices.map { index in
                (BoundingBox(x0: 0, y0: index * height, x1: page.width, y1: min(page.height, (index + 1) * height)), 0.5)
            }
        }
        let n = modelLines.count, m = slots.count
        var boxes: [(BoundingBox, Double)] = []
        for k in 0..<n {
            let first = k * m / n, last = max(first, (k + 1) * m / n - 1)
            if m >= n {
                let covered = slots[first...last]
                boxes.append((BoundingBox.union(covered.map(\.box)) ?? covered.first!.box, covered.map(\.confidence).mean))
            } else {
                // Several model lines on one pipeline line: split its height between them.
                let sharing = (0..<n).filter { $0 * m / n == first }
                let position = sharing.firstIndex(of: k) ?? 0
                let slot = slots[first]
                let height = max(1, (slot.box.y1 - slot.box.y0) / sharing.count)
                let y0 = slot.box.y0 + position * height
                boxes.append((BoundingBox(x0: slot.box.x0, y0: y0, x1: slot.box.x1, y1: min(slot.box.y1, y0 + height)), slot.confidence))
            }
        }
        var result = page
        var lineNumber = 0
        result.blocks = paragraphs.compactMap { paragraph in
            let lines: [Line] = paragraph.map { text in
                let (box, confidence) = boxes[lineNumber]
                lineNumber += 1
                return Line(bbox: box, confidence: confidence, words: spread(text, over: box, confidence: confidence))
            }
            guard let box = BoundingBox.union(lines.map(\.bbox)) else { return nil }
            return Block(bbox: box, confidence: lines.map(\.confidence).mean, lines: lines)
        }
        return result
    }

    /// The words of `text` laid along `box`, each as wide as its share of the characters.
    static func spread(_ text: String, over box: BoundingBox, confidence: Double) -> [Word] {
        let words = text.split(separator: " ").map(String.init)
        let total = max(1, words.reduce(0) { $0 + $1.count + 1 })
        let width = box.x1 - box.x0
        var x = box.x0
        return words.map { word in
            let share = max(1, width * (word.count + 1) / total)
            defer { x += share }
            return Word(text: word, bbox: BoundingBox(x0: min(x, box.x1), y0: box.y0, x1: min(box.x1, x + share), y1: box.y1),
                        confidence: confidence)
        }
    }
}

/// Why a vision model's answer could not be used (beyond the client's `ChatModelError`).
enum VisionModelError: Error, CustomStringConvertible {
    case emptyAnswer

    var description: String {
        switch self {
        case .emptyAnswer: return "the model answered with no text"
        }
    }
}

/// The pages of one document the vision model failed on, and why (the first reason).
final class VisionFailures: Sendable {
    private let state = Mutex<(pages: [Int], reason: String?)>(([], nil))

    func record(_ page: Int, reason: String) {
        state.withLock { state in
            state.pages.append(page)
            if state.reason == nil { state.reason = reason }
        }
    }

    var pages: [Int] { state.withLock { $0.pages.sorted() } }
    var reason: String? { state.withLock { $0.reason } }
}
