import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import OCRChatEngine
import OCRChatModel
import Synchronization
import Testing
@testable import OCRChatServer

/// What the stub received.
final class StubRecorder: Sendable {
    private let bodies = Mutex<[Data]>([])
    func record(_ body: Data) { bodies.withLock { $0.append(body) } }
    /// Each request body as JSON, in order.
    var all: [[String: Any]] {
        bodies.withLock { $0 }.map { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] ?? [:] }
    }
}


/// An OpenAI-compatible `chat/completions` stub on 127.0.0.1 (a real HTTP server on loopback),
/// answering every request with `answer` and recording what was sent.
func withVisionStub(answer: String, _ body: @Sendable (URL, StubRecorder) async throws -> Void) async throws {
    try await withVisionStub(answers: { _ in answer }, body)
}

/// The stub answering request n (from 0) with `answers(n)`, after `delay`, with `status` (an
/// error body unless 200).
func withVisionStub(answers: @escaping @Sendable (Int) -> String, status: HTTPResponse.Status = .ok, delay: Duration = .zero,
                    _ body: @Sendable (URL, StubRecorder) async throws -> Void) async throws {
    let recorder = StubRecorder()
    let router = Router()
    router.post("/v1/chat/completions") { request, context -> Response in
        let data = try await request.body.collect(upTo: 64 << 20)
        recorder.record(Data(buffer: data))
        if delay > .zero { try await Task.sleep(for: delay) }
        guard status == .ok else {
            return Response(status: status, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: #"{"error":{"message":"model crashed"}}"#)))
        }
        let reply: [String: Any] = [
            "id": "stub", "object": "chat.completion", "model": "stub-vl",
            "choices": [["index": 0, "finish_reason": "stop",
                         "message": ["role": "assistant", "content": answers(recorder.all.count - 1)]]],
        ]
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: reply))))
    }
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    try await app.test(.live) { client in
        let port = try #require(client.port)
        try await body(URL(string: "http://127.0.0.1:\(port)/v1")!, recorder)
    }
}

/// The prompt and the image (PNG bytes) of one recorded request.
func sentPromptAndImage(_ request: [String: Any]) throws -> (prompt: String, png: Data) {
    let message = try #require((request["messages"] as? [[String: Any]])?.first)
    let content = try #require(message["content"] as? [[String: Any]])
    let prompt = try #require(content.first { $0["type"] as? String == "text" }?["text"] as? String)
    let url = try #require((content.first { $0["type"] as? String == "image_url" }?["image_url"] as? [String: Any])?["url"] as? String)
    #expect(url.hasPrefix("data:image/png;base64,"))
    let png = try #require(Data(base64Encoded: String(url.dropFirst("data:image/png;base64,".count))))
    #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    return (prompt, png)
}

/// Width and height from a PNG's header.
func pngSize(_ png: Data) -> (width: Int, height: Int) {
    let bytes = [UInt8](png.prefix(24))
    func number(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
    return (number(16), number(20))
}

@Suite("The vlm tier with a vision model (an OpenAI-compatible stub on loopback)")
struct VisionModelStubTests {
    static let answer = """
        ```markdown
        This is a lot of 12 point text to test the
        ocr code and see if it works on all types
        of file format.

        The quick brown dog jumped over the
        lazy fox. The quick brown dog jumped
        over the lazy fox. The quick brown dog
        jumped over the lazy fox. The quick
        brown dog jumped over the lazy fox. $E = mc^2$
        ```
        """

    @Test("a doubtful page goes whole (handwriting too) as a PNG data URL with the model name and the prompt; the answer becomes the page")
    func sentAndMerged() async throws {
        try await withVisionStub(answer: Self.answer) { url, recorder in
            let engine = try OCREngine(configuration: EngineConfiguration(
                workers: 1, visionModel: VisionModelEndpoint(url: url, model: "stub-vl")))
            // Handwriting always goes as the whole page.
            let document = try await engine.recognize(sample("phototest.png"), options: RecognitionOptions(tool: .handwritingToText))
            let request = try #require(recorder.all.first)
            #expect(recorder.all.count == 1)
            #expect(request["model"] as? String == "stub-vl")
            let (prompt, png) = try sentPromptAndImage(request)
            #expect(prompt.contains("handwritten"))
            let size = pngSize(png)
            #expect(size.width == document.pages[0].width && size.height == document.pages[0].height)

            // The model's text, its fence dropped, in two blocks, on the pipeline's line boxes.
            let page = document.pages[0]
            #expect(page.text.hasPrefix("This is a lot of 12 point text to test the\nocr code"))
            #expect(page.text.contains("$E = mc^2$"))
            #expect(!page.text.contains("```"))
            #expect(page.blocks.count == 2)
            #expect(page.engine?.contains("vision model stub-vl") == true)
            #expect(document.engine.contains("vision model stub-vl"))
            #expect(document.warnings.isEmpty)
            for word in page.words {
                #expect(word.bbox.x0 >= 0 && word.bbox.x1 <= page.width && word.bbox.y1 <= page.height && word.bbox.y0 < word.bbox.y1)
            }
            // Line boxes come from the page: the first line is near the top, the last near the bottom.
            let lines = page.blocks.flatMap(\.lines)
            #expect(lines.first!.bbox.y0 < lines.last!.bbox.y0)
        }
    }

    @Test("whole page or regions: mostly doubtful pages go whole, mostly confident ones only their doubtful blocks, tables never alone")
    func plans() {
        func block(_ confidence: Double, _ characters: Int, kind: BlockKind = .paragraph) -> Block {
            let box = BoundingBox(x0: 0, y0: 0, x1: 100, y1: 20)
            let word = Word(text: String(repeating: "a", count: characters), bbox: box, confidence: confidence)
            return Block(bbox: box, confidence: confidence, lines: [Line(bbox: box, confidence: confidence, words: [word])], kind: kind)
        }
        func page(_ blocks: [Block]) -> Page {
            Page(index: 0, width: 100, height: 100, dpi: 300, rotation: 0, source: .ocr, language: "eng", blocks: blocks)
        }
        #expect(VisionTranscriber.plan(for: page([block(0.96, 100), block(0.7, 40), block(0.95, 50)]), handwriting: false) == .regions([1]))
        #expect(VisionTranscriber.plan(for: page([block(0.96, 100), block(0.7, 40)]), handwriting: true) == .wholePage)
        #expect(VisionTranscriber.plan(for: page([block(0.96, 30), block(0.7, 100)]), handwriting: false) == .wholePage)
        #expect(VisionTranscriber.plan(for: page([block(0.96, 100), block(0.97, 40)]), handwriting: false) == .nothing)
        #expect(VisionTranscriber.plan(for: page([block(0.96, 100), block(0.6, 40, kind: .table)]), handwriting: false) == .nothing)
        #expect(VisionTranscriber.plan(for: page([]), handwriting: false) == .wholePage)
        #expect(VisionTranscriber.plan(for: page(Array(repeating: block(0.99, 100), count: 10) + Array(repeating: block(0.5, 10), count: 9)),
                                        handwriting: false) == .wholePage)
    }

    static let smudgedParagraph = """
        This is a lot of 12 point text to test the
        ocr code and see if it works on all types
        of file format.
        """

    @Test("a mostly confident page sends only its doubtful blocks, cut out with their boxes; the answers replace those blocks' lines in place")
    func regionsSentAndMerged() async throws {
        // What the pipeline reads on its own: which blocks are doubtful, and where.
        let pipeline = try await sharedEngine.recognize(sample("phototest-smudged.png"), options: RecognitionOptions(language: "eng", tier: .vlm))
        let before = pipeline.pages[0]
        guard case .regions(let doubtful) = VisionTranscriber.plan(for: before, handwriting: false) else {
            Issue.record("the smudged page should be mostly confident with doubtful blocks: \(before.blocks.map(\.confidence))")
            return
        }
        // The stub reads each region as the smudged paragraph's lines, one region at a time.
        let truthLines = Self.smudgedParagraph.components(separatedBy: "\n")
        let answers: [String] = doubtful.count == 1 ? [Self.smudgedParagraph]
            : [truthLines[0]] + Array(repeating: truthLines[1...].joined(separator: "\n"), count: doubtful.count - 1)
        try await withVisionStub(answers: { answers[min($0, answers.count - 1)] }) { url, recorder in
            let engine = try OCREngine(configuration: EngineConfiguration(
                workers: 1, visionModel: VisionModelEndpoint(url: url, model: "stub-vl")))
            let document = try await engine.recognize(sample("phototest-smudged.png"), options: RecognitionOptions(language: "eng", tier: .vlm))
            let page = document.pages[0]
            #expect(recorder.all.count == doubtful.count)
            for (request, index) in zip(recorder.all, doubtful) {
                let (prompt, png) = try sentPromptAndImage(request)
                #expect(prompt.contains("one region"))
                // The cut-out is the block's box and a margin of page around it, not the page.
                let box = before.blocks[index].bbox
                let margin = VisionTranscriber.regionMargin
                let expected = (min(page.width, box.x1 + margin) - max(0, box.x0 - margin),
                                min(page.height, box.y1 + margin) - max(0, box.y0 - margin))
                let size = pngSize(png)
                #expect(size.width == expected.0 && size.height == expected.1, "\(size) for block \(box)")
                // The block keeps its place, box and kind; its lines are the model's, on the pipeline's line boxes.
                #expect(page.blocks[index].bbox == box)
                #expect(page.blocks[index].kind == before.blocks[index].kind)
                for line in page.blocks[index].lines {
                    #expect(line.bbox.y0 >= box.y0 && line.bbox.y1 <= box.y1 && line.bbox.x0 >= box.x0 && line.bbox.x1 <= box.x1)
                }
            }
            // The confident paragraph is the pipeline's reading, untouched; the smudged one is the model's.
            #expect(page.blocks.count == before.blocks.count)
            for index in before.blocks.indices where !doubtful.contains(index) {
                #expect(page.blocks[index] == before.blocks[index])
            }
            #expect(normalized(page.text).contains(normalized(Self.smudgedParagraph)))
            #expect(page.text.contains("The quick brown dog jumped over the"))
            let engineRecord = try #require(page.engine)
            #expect(engineRecord.contains("vision model stub-vl on \(doubtful.count) of \(before.blocks.count) blocks"))
            #expect(engineRecord.contains("PP-OCRv6"))
            #expect(document.warnings.isEmpty)

            // A page confident throughout is not sent at all, and says so.
            let confident = try await engine.recognize(sample("phototest.png"), options: RecognitionOptions(language: "eng", tier: .vlm))
            #expect(recorder.all.count == doubtful.count)
            #expect(confident.pages[0].engine?.contains("was not asked") == true)
            #expect(confident.text.contains("quick brown dog"))
        }
    }

    @Test("a model that answers 500 or too late leaves the pipeline's reading, and the page and the job say so", arguments: [
        "500", "timeout",
    ])
    func modelFails(_ failure: String) async throws {
        let pipeline = try await sharedEngine.recognize(sample("phototest-smudged.png"), options: RecognitionOptions(language: "eng", tier: .vlm))
        try await withVisionStub(answers: { _ in Self.smudgedParagraph }, status: failure == "500" ? .internalServerError : .ok,
                                 delay: failure == "timeout" ? .seconds(8) : .zero) { url, recorder in
            // The 500 case has all the time it needs (a busy machine answers slowly); the timeout
            // case waits 2 s for an answer that comes after 8.
            let engine = try OCREngine(configuration: EngineConfiguration(
                workers: 1, visionModel: VisionModelEndpoint(url: url, model: "stub-vl", timeout: failure == "timeout" ? 2 : 60)))
            let document = try await engine.recognize(sample("phototest-smudged.png"), options: RecognitionOptions(language: "eng", tier: .vlm))
            #expect(!recorder.all.isEmpty)
            #expect(document.text == pipeline.text)
            let engineRecord = try #require(document.pages[0].engine)
            #expect(engineRecord.hasPrefix("vlm: PP-OCRv6"))
            #expect(engineRecord.contains("stub-vl") && engineRecord.contains("failed"))
            if failure == "500" { #expect(engineRecord.contains("HTTP 500")) }
            #expect(document.warnings.first?.contains("did not answer for 1 of 1 pages") == true)
        }
    }

    @Test("when the model is down the pipeline's reading stays and the page and the job say so")
    func modelDown() async throws {
        // Port 9 on loopback: nothing listens there, the connection is refused.
        let engine = try OCREngine(configuration: EngineConfiguration(
            workers: 1, visionModel: VisionModelEndpoint(url: URL(string: "http://127.0.0.1:9/v1")!, model: "absent-vl", timeout: 10)))
        let pipeline = try await sharedEngine.recognize(sample("phototest-smudged.png"), options: RecognitionOptions(language: "eng", tier: .vlm))
        let document = try await engine.recognize(sample("phototest-smudged.png"), options: RecognitionOptions(language: "eng", tier: .vlm))
        #expect(document.text == pipeline.text)
        #expect(document.text.contains("quick brown dog"))
        let engineRecord = try #require(document.pages[0].engine)
        #expect(engineRecord.contains("PP-OCRv6"))
        #expect(engineRecord.contains("absent-vl") && engineRecord.contains("failed"))
        #expect(document.warnings.first?.contains("did not answer for 1 of 1 pages") == true)
    }

    @Test("a job through the server records per page which engine read it: the model's regions, or its failure", arguments: [
        HTTPResponse.Status.ok, .internalServerError,
    ])
    func jobRecordsEngine(_ status: HTTPResponse.Status) async throws {
        try await withVisionStub(answers: { _ in Self.smudgedParagraph }, status: status) { url, recorder in
            let engine = try OCREngine(configuration: EngineConfiguration(
                workers: 1, visionModel: VisionModelEndpoint(url: url, model: "stub-vl", timeout: 30)))
            let app = try await buildApplication(configuration: testConfiguration(), reader: engine, logger: quietLogger)
            try await app.test(.router) { client in
                let upload = MultipartBody.upload(try sample("phototest-smudged.png"), fields: ["tier": "vlm", "language": "en"])
                let job = try await client.execute(uri: "/api/v1/ocr/", method: .post, headers: upload.headers, body: upload.buffer) { response in
                    #expect(response.status == .ok)
                    return response.json
                }
                #expect(job["status"] as? String == "done")
                #expect(!recorder.all.isEmpty)
                let page = try #require((job["pages"] as? [[String: Any]])?.first)
                let pageEngine = try #require(page["engine"] as? String)
                if status == .ok {
                    #expect(pageEngine.contains("vision model stub-vl on"), "\(pageEngine)")
                    #expect((job["text"] as? String)?.contains("ocr code and see if it works on all types") == true)
                    #expect((job["warnings"] as? [String] ?? []).isEmpty)
                } else {
                    #expect(pageEngine.contains("HTTP 500") && pageEngine.contains("pipeline's reading"), "\(pageEngine)")
                    #expect((job["warnings"] as? [String])?.first?.contains("did not answer") == true)
                    #expect((job["text"] as? String)?.contains("quick brown dog") == true)
                }
            }
        }
    }

    @Test("cpu jobs never go to the model")
    func cpuStaysLocal() async throws {
        try await withVisionStub(answer: "nothing") { url, recorder in
            let engine = try OCREngine(configuration: EngineConfiguration(workers: 1, visionModel: VisionModelEndpoint(url: url, model: "stub-vl")))
            let document = try await engine.recognize(sample("phototest.png"), options: RecognitionOptions(language: "eng"))
            #expect(recorder.all.isEmpty)
            #expect(document.text.contains("quick brown dog"))
        }
    }
}

/// Whitespace folded to single spaces.
func normalized(_ text: String) -> String {
    text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
}
