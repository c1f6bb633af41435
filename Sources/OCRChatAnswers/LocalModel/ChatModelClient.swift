import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where the operator's local model listens: an OpenAI-compatible chat endpoint such as a
/// llama.cpp server or Ollama on the same machine.
public struct LocalModelConfiguration: Sendable, Equatable {
    /// The server's base URL (`http://127.0.0.1:8081`); `/v1/chat/completions` is added.
    public var baseURL: URL
    /// The model name the server knows.
    public var model: String
    /// Longest wait for a reply, in seconds; past it the answer falls back to the extractive one.
    public var timeoutSeconds: Double
    /// Longest reply asked for, in tokens.
    public var maxTokens: Int

    /// A configuration for `model` at `baseURL`.
    public init(baseURL: URL, model: String, timeoutSeconds: Double = 60, maxTokens: Int = 400) {
        self.baseURL = baseURL
        self.model = model
        self.timeoutSeconds = timeoutSeconds
        self.maxTokens = maxTokens
    }

    /// The chat completions URL: `{base}/v1/chat/completions`, also when the base already ends in `/v1`.
    public var completionsURL: URL {
        let base = baseURL.absoluteString.hasSuffix("/") ? String(baseURL.absoluteString.dropLast()) : baseURL.absoluteString
        return URL(string: base.hasSuffix("/v1") ? base + "/chat/completions" : base + "/v1/chat/completions")!
    }
}

/// One message of a chat completion request.
public struct ChatModelMessage: Codable, Sendable, Equatable {
    /// `system`, `user` or `assistant`.
    public var role: String
    /// The text.
    public var content: String

    /// A message from `role`.
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// Why the local model gave no answer.
public enum ChatModelError: Error, CustomStringConvertible, Equatable {
    /// The endpoint could not be reached or did not answer in time.
    case unreachable(String)
    /// It answered with an HTTP error.
    case httpStatus(Int, String)
    /// Its reply was not a chat completion.
    case badReply(String)

    public var description: String {
        switch self {
        case .unreachable(let reason): return "the local model is unreachable: \(reason)"
        case .httpStatus(let code, let body): return "the local model answered HTTP \(code): \(body.prefix(200))"
        case .badReply(let reason): return "the local model's reply cannot be read: \(reason)"
        }
    }
}

/// A client of an OpenAI-compatible `POST /v1/chat/completions`, with a timeout.
public final class ChatModelClient: Sendable {
    /// Where it sends.
    public let configuration: LocalModelConfiguration
    private let session: URLSession

    /// A client for `configuration`; it never goes through a proxy (the model is local).
    public init(configuration: LocalModelConfiguration) {
        self.configuration = configuration
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = configuration.timeoutSeconds
        sessionConfiguration.timeoutIntervalForResource = configuration.timeoutSeconds
        sessionConfiguration.connectionProxyDictionary = [:]
        session = URLSession(configuration: sessionConfiguration)
    }

    deinit { session.invalidateAndCancel() }

    struct CompletionRequest: Encodable {
        var model: String
        var messages: [ChatModelMessage]
        var temperature: Double
        var stream: Bool
        var maxTokens: Int

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature, stream
            case maxTokens = "max_tokens"
        }
    }

    struct CompletionReply: Decodable {
        struct Choice: Decodable {
            var message: ChatModelMessage
        }
        var choices: [Choice]
    }

    /// The model's reply to `messages`.
    public func complete(_ messages: [ChatModelMessage]) async throws -> String {
        var request = URLRequest(url: configuration.completionsURL, timeoutInterval: configuration.timeoutSeconds)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONEncoder().encode(CompletionRequest(
            model: configuration.model, messages: messages, temperature: 0, stream: false, maxTokens: configuration.maxTokens))
        let (data, response) = try await send(request)
        guard let http = response as? HTTPURLResponse else { throw ChatModelError.badReply("not an HTTP response") }
        guard (200..<300).contains(http.statusCode) else {
            throw ChatModelError.httpStatus(http.statusCode, String(decoding: data, as: UTF8.self))
        }
        do {
            let reply = try JSONDecoder().decode(CompletionReply.self, from: data)
            guard let content = reply.choices.first?.message.content else { throw ChatModelError.badReply("no choices") }
            return content
        } catch let error as ChatModelError {
            throw error
        } catch {
            throw ChatModelError.badReply("\(error)")
        }
    }

    /// One request, cancelled with the task that awaits it.
    private func send(_ request: URLRequest) async throws -> (Data, URLResponse) {
        let box = TaskBox()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Data, URLResponse), Error>) in
                let task = session.dataTask(with: request) { data, response, error in
                    if let error {
                        continuation.resume(throwing: ChatModelError.unreachable(error.localizedDescription))
                    } else if let data, let response {
                        continuation.resume(returning: (data, response))
                    } else {
                        continuation.resume(throwing: ChatModelError.unreachable("no response"))
                    }
                }
                box.set(task)
                task.resume()
            }
        } onCancel: {
            box.cancel()
        }
    }

    /// The task in flight, to cancel it from another thread.
    private final class TaskBox: @unchecked Sendable {
        private let lock = NSLock()
        private var task: URLSessionDataTask?
        private var cancelled = false

        func set(_ task: URLSessionDataTask) {
            lock.lock(); defer { lock.unlock() }
            self.task = task
            if cancelled { task.cancel() }
        }

        func cancel() {
            lock.lock(); defer { lock.unlock() }
            cancelled = true
            task?.cancel()
        }
    }
}
