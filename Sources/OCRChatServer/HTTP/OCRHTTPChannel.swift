import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1.1 child channel with two guards of ours in its pipeline, between the
/// HTTP parser and the conversion to HTTP types, where the framing is still visible:
/// `HTTPFramingHandler` (every framing error a JSON answer; `Connection: close` and HTTP/1.0
/// closing) and `UploadPaceHandler` (a body must keep a minimum pace and a deadline).
/// Requests themselves are handled by Hummingbird's own loop (`handleHTTP`), unchanged.
struct OCRHTTPChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    /// Time before an idle connection is closed.
    let idleTimeout: Duration
    let pace: UploadPace
    /// Counts the uploads closed for being too slow.
    let metrics: ServerMetrics?

    /// Header limits as Hummingbird sets them (80 KiB for one field and for them all).
    static let maxHeaderBytes = 80 * 1024

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderFieldSize = Self.maxHeaderBytes
            limits.maxHeaderListSize = Self.maxHeaderBytes
            limits.maxHeaderFieldCount = 1000
            let pipeline = channel.pipeline.syncOperations
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false,
                withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits)
            try pipeline.addHandler(HTTPFramingHandler(logger: logger))
            try pipeline.addHandler(UploadPaceHandler(pace: pace, metrics: metrics, logger: logger))
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: idleTimeout, logger: logger))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel,
                                       configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// The server's HTTP/1.1 channel (see `OCRHTTPChannel`).
    static func ocrchat(idleTimeout: Duration, pace: UploadPace, metrics: ServerMetrics? = nil) -> HTTPServerBuilder {
        .init { responder in OCRHTTPChannel(responder: responder, idleTimeout: idleTimeout, pace: pace, metrics: metrics) }
    }
}

/// An error answer written by a channel handler itself, below the router: the contract's JSON
/// body, and the connection closed once it is sent.
enum ChannelErrorAnswer {
    static func send(_ status: HTTPResponseStatus, _ message: String, context: ChannelHandlerContext) {
        let json: Data = (try? JSONEncoder().encode(["error": message])) ?? Data(#"{"error":"bad request"}"#.utf8)
        let body = ByteBuffer(bytes: Array(json))
        let headers = HTTPHeaders([
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", String(body.readableBytes)),
            ("Connection", "close"),
            ("X-Content-Type-Options", "nosniff"),
        ])
        let channel = context.channel
        context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                      promise: nil)
        context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
