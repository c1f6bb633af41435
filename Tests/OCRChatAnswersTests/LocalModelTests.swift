import Foundation
import Hummingbird
import Logging
import OCRChatAnswers
import OCRChatLocalModel
import OCRChatModel
import Testing

/// What the stub model received, and what it answers.
actor StubModelLog {
    private var bodies: [Data] = []
    func append(_ body: Data) { bodies.append(body) }
    var count: Int { bodies.count }
    /// The requests received, as JSON objects.
    nonisolated func requests() async -> [[String: Any]] {
        await bodiesReceived().map { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] ?? [:] }
    }
    private func bodiesReceived() -> [Data] { bodies }
}

/// How the stub behaves.
enum StubBehaviour: Sendable {
    case reply(String)
    case status(Int)
    case slow(seconds: Double)
}

/// Runs `body` while a small OpenAI-compatible chat server listens on 127.0.0.1; returns its port
/// (stopped by then) and what it received.
func withStubModel(_ behaviour: StubBehaviour,
                   _ body: @Sendable (_ port: Int, _ log: StubModelLog) async throws -> Void) async throws -> Int {
    let log = StubModelLog()
    let router = Router()
    router.post("/v1/chat/completions") { request, _ -> Response in
        let data = try await request.body.collect(upTo: 1 << 20)
        await log.append(Data(buffer: data))
        var content = ""
        switch behaviour {
        case .reply(let text): content = text
        case .status(let code): return Response(status: .init(code: code), body: .init(byteBuffer: ByteBuffer(string: "model crashed")))
        case .slow(let seconds):
            try await Task.sleep(for: .seconds(seconds))
            content = "too late"
        }
        let reply: [String: Any] = ["id": "stub", "object": "chat.completion",
                                    "choices": [["index": 0, "message": ["role": "assistant", "content": content], "finish_reason": "stop"]]]
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: reply))))
    }
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    var logger = Logger(label: "stub-model")
    logger.logLevel = .critical  // its shutdown when a test stops it is expected, not worth a line
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                          onServerRunning: { channel in
                              continuation.yield(channel.localAddress?.port ?? 0)
                              continuation.finish()
                          }, logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        defer { group.cancelAll() }
        try await body(port, log)
        return port
    }
}

/// The default wait is long: the stub answers on the cooperative pool, which the suite's blocking
/// live-server tests can hold for a minute on a 2-core machine; only the timeout test shortens it.
func modelChat(port: Int, timeout: Double = 120) -> DocumentChat {
    let configuration = LocalModelConfiguration(baseURL: URL(string: "http://127.0.0.1:\(port)")!, model: "stub-model",
                                                timeoutSeconds: timeout)
    return DocumentChat(model: ModelAnswerer(client: ChatModelClient(configuration: configuration)))
}

@Suite("Answers by a local model (a stub on loopback), and the fallback", .serialized)
struct LocalModelTests {
    func contract() async throws -> PassageIndex {
        PassageIndex(document: try await RecognisedSamples.shared.document("contract-4pages.tif"))
    }

    @Test("the model gets only the retrieved passages and the question; citations are the passages it used")
    func onlyRetrievedPassages() async throws {
        let index = try await contract()
        let question = "What is the monthly fee?"
        let retrieved = ExtractiveAnswerer().retriever.supportingPassages(for: Question(question), in: index).prefix(4).map(\.passage)
        try #require(!retrieved.isEmpty)
        let port = try await withStubModel(.reply("The monthly fee is EUR 4,800.00 [1].")) { port, log in
            let answer = await modelChat(port: port).answer(question, in: index)
            #expect(answer.origin == .model)
            #expect(answer.modelFailure == nil)
            #expect(answer.text == "The monthly fee is EUR 4,800.00 (p. \(retrieved[0].page)).")
            #expect(answer.citations == [Citation(page: 2, snippet: retrieved[0].text.split(whereSeparator: \.isNewline).joined(separator: " "))])
            let requests = await log.requests()
            try #require(requests.count == 1)
            #expect(requests[0]["model"] as? String == "stub-model")
            let messages = try #require(requests[0]["messages"] as? [[String: String]])
            let sent = ModelAnswerer.messages(for: question, passages: retrieved)
            #expect(messages.map { $0["role"] } == sent.map(\.role))
            #expect(messages.map { $0["content"] } == sent.map(\.content))
            // Nothing of the pages that were not retrieved reaches the model.
            let user = messages.last?["content"] ?? ""
            #expect(user.contains("4,800.00"))
            #expect(!user.contains("Hamburg") && !user.contains("Okafor") && !user.contains("ninety"))
        }
        #expect(port > 0)
    }

    @Test("NOT_FOUND from the model is a plain refusal; a question the document cannot answer never reaches it")
    func refusals() async throws {
        let index = try await contract()
        _ = try await withStubModel(.reply("NOT_FOUND")) { port, log in
            let chat = modelChat(port: port)
            let refused = await chat.answer("What is the monthly fee?", in: index)
            #expect(!refused.found && refused.text == Answer.notFoundText && refused.citations.isEmpty)
            let outside = await chat.answer("What is the capital of France?", in: index)
            #expect(!outside.found)
            #expect(await log.count == 1)
        }
    }

    @Test("a stopped, failing or slow model: the extractive answer, and the reason for the log")
    func fallback() async throws {
        let index = try await contract()
        let stoppedPort = try await withStubModel(.reply("unused")) { _, _ in }
        let afterStop = await modelChat(port: stoppedPort).answer("When does the contract end?", in: index)
        #expect(afterStop.origin == .extractive)
        #expect(afterStop.modelFailure?.contains("unreachable") == true)
        #expect(afterStop.text.contains("31 January 2028") && afterStop.citedPages == [3])

        _ = try await withStubModel(.status(500)) { port, _ in
            let answer = await modelChat(port: port).answer("When does the contract end?", in: index)
            #expect(answer.origin == .extractive && answer.text.contains("31 January 2028"))
            #expect(answer.modelFailure?.contains("HTTP 500") == true)
        }
        _ = try await withStubModel(.slow(seconds: 5)) { port, _ in
            let answer = await modelChat(port: port, timeout: 1).answer("When does the contract end?", in: index)
            #expect(answer.origin == .extractive && answer.text.contains("31 January 2028"))
            #expect(answer.modelFailure != nil)
        }
    }

    @Test("the completions URL is built from the base, with or without /v1")
    func completionsURL() {
        for base in ["http://127.0.0.1:8081", "http://127.0.0.1:8081/", "http://127.0.0.1:8081/v1"] {
            #expect(LocalModelConfiguration(baseURL: URL(string: base)!, model: "m").completionsURL.absoluteString
                    == "http://127.0.0.1:8081/v1/chat/completions")
        }
    }
}
