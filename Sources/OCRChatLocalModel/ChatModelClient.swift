import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

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

/// One message of a chat completion: text, and for a vision model the pictures it is about.
public struct ChatModelMessage: Codable, Sendable, Equatable {
    /// `system`, `user` or `assistant`.
    public var role: String
    /// The text.
    public var content: String
    /// PNG pictures sent with the text (a page, a region of one); a message with any goes as
    /// OpenAI's content parts, the text first, each picture as a `data:` URL.
    public var images: [Data]

    /// A message from `role`.
    public init(role: String, content: String, images: [Data] = []) {
        self.role = role
        self.content = content
        self.images = images
    }

    enum CodingKeys: String, CodingKey { case role, content }

    private struct Part: Codable {
        struct ImageURL: Codable { var url: String }
        var type: String
        var text: String?
        var imageURL: ImageURL?

        enum CodingKeys: String, CodingKey {
            case type, text
            case imageURL = "image_url"
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(role, forKey: .role)
        if images.isEmpty {
            try container.encode(content, forKey: .content)
        } else {
            try container.encode([Part(type: "text", text: content)] + images.map {
                Part(type: "image_url", imageURL: .init(url: "data:image/png;base64,\($0.base64EncodedString())"))
            }, forKey: .content)
        }
    }

    /// A reply's message: its content as text, or the text of its parts.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decodeIfPresent(String.self, forKey: .role) ?? "assistant"
        if let text = try? container.decode(String.self, forKey: .content) {
            content = text
        } else {
            content = try container.decode([Part].self, forKey: .content).compactMap(\.text).joined()
        }
        images = []
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

/// The one client of a local OpenAI-compatible `chat/completions` endpoint: chat answers,
/// translation and the vision model's page readings all go through it. Each request ends within
/// its timeout whatever the connection does, and with the task that awaits it.
public final class ChatModelClient: Sendable {
    /// Where requests go.
    public let completionsURL: URL
    /// The model name sent in each request.
    public let model: String
    /// Longest one request may take, in seconds.
    public let timeoutSeconds: Double
    /// Longest reply asked for, in tokens (nil: the model's own limit).
    public let maxTokens: Int?
    private let session: BoundedHTTPSession

    /// A client for the chat model `configuration` describes.
    public convenience init(configuration: LocalModelConfiguration) {
        self.init(completionsURL: configuration.completionsURL, model: configuration.model,
                  timeoutSeconds: configuration.timeoutSeconds, maxTokens: configuration.maxTokens)
    }

    /// A client for `model` at `completionsURL`; it never goes through a proxy (the model is local).
    public init(completionsURL: URL, model: String, timeoutSeconds: Double, maxTokens: Int? = nil) {
        self.completionsURL = completionsURL
        self.model = model
        self.timeoutSeconds = timeoutSeconds
        self.maxTokens = maxTokens
        session = BoundedHTTPSession(timeoutSeconds: timeoutSeconds)
    }

    struct CompletionRequest: Encodable {
        var model: String
        var messages: [ChatModelMessage]
        var temperature: Double
        var stream: Bool
        var maxTokens: Int?

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
        var request = URLRequest(url: completionsURL, timeoutInterval: timeoutSeconds)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONEncoder().encode(CompletionRequest(
            model: model, messages: messages, temperature: 0, stream: false, maxTokens: maxTokens))
        let (data, http): (Data, HTTPURLResponse)
        do {
            (data, http) = try await session.send(request)
        } catch let failure as BoundedHTTPSession.Failure {
            throw ChatModelError.unreachable(failure.description)
        }
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
}
