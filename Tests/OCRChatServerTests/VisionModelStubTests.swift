import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OCRChatEngine
import OCRChatModel
import Synchronization
import Testing

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
    let recorder = StubRecorder()
    let router = Router()
    router.post("/v1/chat/completions") { request, context -> Response in
        let data = try await request.body.collect(upTo: 64 << 20)
        recorder.record(Data(buffer: data))
        let reply: [String: Any] = [
            "id": "stub", "object": "chat.completion", "model": "stub-vl",
            "choices": [["index": 0, "finish_reason": "stop", "message": ["role": "assistant", "content": answer]]],
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

    @Test("each page goes to the model as a PNG data URL with the model name and the prompt; the answer becomes the page")
    func sentAndMerged() async throws {
        try await withVisionStub(answer: Self.answer) { url, recorder in
            let engine = try OCREngine(configuration: EngineConfiguration(
                workers: 1, visionModel: VisionModelEndpoint(url: url, model: "stub-vl")))
            let document = try await engine.recognize(sample("phototest.png"), options: RecognitionOptions(language: "eng", tier: .vlm))
            let request = try #require(recorder.all.first)
            #expect(recorder.all.count == 1)
            #expect(request["model"] as? String == "stub-vl")
            let message = try #require((request["messages"] as? [[String: Any]])?.first)
            let content = try #require(message["content"] as? [[String: Any]])
            #expect((content.first { $0["type"] as? String == "text" }?["text"] as? String)?.contains("Transcribe") == true)
            let image = try #require((content.first { $0["type"] as? String == "image_url" }?["image_url"] as? [String: Any])?["url"] as? String)
            #expect(image.hasPrefix("data:image/png;base64,"))
            let png = try #require(Data(base64Encoded: String(image.dropFirst("data:image/png;base64,".count))))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))

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

            // handwriting-to-text sends the handwriting prompt, and does not warn with a model configured.
            let handwritten = try await engine.recognize(sample("phototest.png"), options: RecognitionOptions(tool: .handwritingToText))
            let prompt = ((recorder.all.last?["messages"] as? [[String: Any]])?.first?["content"] as? [[String: Any]])?
                .first { $0["type"] as? String == "text" }?["text"] as? String
            #expect(prompt?.contains("handwritten") == true)
            #expect(handwritten.warnings.isEmpty)
        }
    }

    @Test("when the model is down the accurate pipeline's reading stays and the page and the job say so")
    func modelDown() async throws {
        // Port 9 on loopback: nothing listens there, the connection is refused.
        let engine = try OCREngine(configuration: EngineConfiguration(
            workers: 1, visionModel: VisionModelEndpoint(url: URL(string: "http://127.0.0.1:9/v1")!, model: "absent-vl", timeout: 10)))
        let document = try await engine.recognize(sample("phototest.png"), options: RecognitionOptions(language: "eng", tier: .vlm))
        #expect(document.text.contains("quick brown dog"))
        let engineRecord = try #require(document.pages[0].engine)
        #expect(engineRecord.contains("accurate pipeline"))
        #expect(engineRecord.contains("absent-vl") && engineRecord.contains("failed"))
        #expect(document.warnings.first?.contains("did not answer for 1 of 1 pages") == true)
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
