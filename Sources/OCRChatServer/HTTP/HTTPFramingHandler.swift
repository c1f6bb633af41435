import Logging
import NIOCore
import NIOHTTP1

/// What the HTTP layer itself must get right, below the router:
///
/// - A request the parser refuses (headers over 80 KiB, a `Content-Length` that is not a number,
///   given twice or beside `Transfer-Encoding: chunked`, a broken chunk) gets the contract's JSON
///   400 and the connection is closed, where Hummingbird would answer with an empty body. When the
///   error comes in the middle of a request's body, the route reading it answers instead (it gets
///   a `MalformedRequest`), so that two answers never go out for one request.
/// - A request that does not keep the connection alive (`Connection: close`, or HTTP/1.0 without
///   `keep-alive`) gets `Connection: close` on its answer and the connection is closed once the
///   answer is sent, rather than left open for the idle timer.
///
/// Requests may be pipelined, so what is known of each is kept in order until its answer ends.
final class HTTPFramingHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private struct Exchange {
        var closesConnection: Bool
        var answerStarted = false
    }

    /// Requests read and not yet fully answered, oldest first.
    private var exchanges: [Exchange] = []
    /// Set once a framing error has been answered: what the parser says after that (data that
    /// came after the error) gets no second answer.
    private var refused = false
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        guard case .head(var head) = part else {
            context.fireChannelRead(data)
            return
        }
        let closes = !head.isKeepAlive
        if closes { head.headers.replaceOrAdd(name: "connection", value: "close") }
        exchanges.append(Exchange(closesConnection: closes))
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head):
            if !exchanges.isEmpty {
                exchanges[0].answerStarted = true
                if exchanges[0].closesConnection { head.headers.replaceOrAdd(name: "connection", value: "close") }
            }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            let closes = exchanges.first?.closesConnection ?? false
            if !exchanges.isEmpty { exchanges.removeFirst() }
            guard closes else {
                context.write(data, promise: promise)
                return
            }
            let channel = context.channel
            let written = promise ?? context.eventLoop.makePromise()
            written.futureResult.whenComplete { _ in channel.close(promise: nil) }
            context.write(data, promise: written)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let message = Self.framingProblem(error) else {
            context.fireErrorCaught(error)
            return
        }
        guard !refused else { return }
        refused = true
        logger.debug("refused a malformed request", metadata: ["reason": "\(message)"])
        guard let current = exchanges.first else {
            // Between requests: nobody else will answer this one.
            ChannelErrorAnswer.send(.badRequest, message, context: context)
            return
        }
        if current.answerStarted {
            context.close(promise: nil)  // an answer is on its way: it cannot be followed by another
        } else {
            context.fireErrorCaught(MalformedRequest(message: message))
        }
    }

    /// What a client should be told about a framing error, nil for an error of another kind.
    static func framingProblem(_ error: any Error) -> String? {
        if error is ByteToMessageDecoderError { return "the request is not valid HTTP/1.1" }
        guard let error = error as? HTTPParserError else { return nil }
        switch error {
        case .headerOverflow:
            return "the request headers are too large: at most \(OCRHTTPChannel.maxHeaderBytes >> 10) KiB"
        case .invalidContentLength:
            return "Content-Length must be one non-negative whole number"
        case .unexpectedContentLength:
            return "Content-Length may be sent only once, and not with Transfer-Encoding: send one of them"
        case .invalidChunkSize, .invalidEOFState:
            return "the chunked request body is malformed"
        default:
            return "the request is not valid HTTP/1.1 (\(error))"
        }
    }
}

/// A framing error in the middle of a request's body, as the route reading the body sees it.
struct MalformedRequest: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
