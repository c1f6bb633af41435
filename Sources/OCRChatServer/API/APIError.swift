import Foundation
import HTTPTypes
import Hummingbird
import OCRChatModel

/// Every error the API answers with: a status and the contract's JSON body
/// (`{"error": "…"}`, with `used` and `cap` on a 402). The one place errors become responses.
public struct APIError: HTTPResponseError, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var message: String
    public var used: Int?
    public var cap: Int?
    /// Extra headers (e.g. `Retry-After`).
    public var retryAfterSeconds: Int?

    public init(_ status: HTTPResponse.Status, _ message: String, used: Int? = nil, cap: Int? = nil,
                retryAfterSeconds: Int? = nil) {
        self.status = status
        self.message = message
        self.used = used
        self.cap = cap
        self.retryAfterSeconds = retryAfterSeconds
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: JSONValue] = ["error": .string(message)]
        if let used { body["used"] = .int(used) }
        if let cap { body["cap"] = .int(cap) }
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        let data = (try? JSONEncoder().encode(body)) ?? Data(#"{"error":"internal error"}"#.utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static let notFound = APIError(.notFound, "job not found")
    static let tokenRequired = APIError(.unauthorized, "an API token is required")
    static let invalidToken = APIError(.unauthorized, "invalid or revoked API token")
}

/// A small JSON value, for error bodies.
enum JSONValue: Encodable, Sendable {
    case string(String)
    case int(Int)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        }
    }
}

extension APIError {
    /// How an engine error reads to an API client: the input's fault is a 400 with the engine's
    /// own message; anything else is logged and answered as a job failure, never a stack trace.
    static func from(_ error: EngineError) -> APIError {
        switch error {
        case .emptyFile, .unsupportedType, .unreadable, .fileTooLarge, .tooManyPixels, .tooManyPages,
             .passwordRequired, .unknownLanguage, .languageNotInstalled:
            return APIError(.badRequest, "\(error)")
        case .pageTimedOut, .engineStartFailed, .nativeFailure, .cancelled:
            return APIError(.internalServerError, "\(error)")
        }
    }
}

extension APIError {
    /// A file the server could not write for this request: a full disk (or quota) is a 507 that
    /// says so, anything else a 500 with the system's reason. The server goes on serving either way.
    static func storing(_ error: UploadFile.Failure) -> APIError {
        error.diskFull ? .diskFull : APIError(.internalServerError, "the upload could not be stored: \(error)")
    }

    /// The data folder's disk is full.
    static let diskFull = APIError(.insufficientStorage, "the server's disk is full: the upload could not be stored; try again later")
}

extension HTTPResponse.Status {
    /// 402, which the HTTP types package leaves unnamed.
    static let paymentRequired = HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")
    /// 507, which the HTTP types package leaves unnamed: the server's disk is full.
    static let insufficientStorage = HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
}
