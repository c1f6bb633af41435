import Logging
import NIOCore
import NIOHTTP1

/// How fast a request body must arrive: within `maxSeconds`, and after its first `graceSeconds`
/// at `minBytesPerSecond` on average since it began (0 turns either off).
struct UploadPace: Sendable, Equatable {
    var maxSeconds: Double
    var minBytesPerSecond: Double
    var graceSeconds: Double

    init(maxSeconds: Double, minBytesPerSecond: Double, graceSeconds: Double) {
        self.maxSeconds = max(0, maxSeconds)
        self.minBytesPerSecond = max(0, minBytesPerSecond)
        self.graceSeconds = max(0, graceSeconds)
    }

    init(_ configuration: ServerConfiguration) {
        self.init(maxSeconds: Double(configuration.maxUploadSeconds),
                  minBytesPerSecond: configuration.minUploadKiBPerSecond * 1024,
                  graceSeconds: Double(configuration.uploadGraceSeconds))
    }

    /// Why a body `bytes` long so far, `elapsed` seconds after it began, is too slow; nil while it keeps pace.
    func problem(bytes: Int, elapsed: Double) -> String? {
        if maxSeconds > 0, elapsed > maxSeconds {
            return "the upload took longer than \(Int(maxSeconds)) s: send it faster or in a smaller file"
        }
        if minBytesPerSecond > 0, elapsed >= max(graceSeconds, 1), Double(bytes) < minBytesPerSecond * elapsed {
            let rate = Double(bytes) / 1024 / elapsed
            return "the upload is too slow: \(String(format: "%.2f", rate)) KiB/s; at least "
                + "\(String(format: "%g", minBytesPerSecond / 1024)) KiB/s is needed after the first \(Int(graceSeconds)) s"
        }
        return nil
    }
}

/// Holds every request body to an `UploadPace`. The idle timer is reset by every byte, so a
/// client sending a byte every few seconds would otherwise hold its upload slot (and a worker's
/// attention) for as long as it likes; 64 of them held every slot. A body below the pace gets the
/// contract's JSON 408 (or, when an answer is already on its way, just the end of the connection),
/// and the connection is closed: the route reading the body sees it end and leaves nothing behind.
///
/// It looks at the body as the parser delivers it, before the router's back-pressure, so a body
/// that is waiting in the socket because the server is busy is not counted against the client.
final class UploadPaceHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let pace: UploadPace
    private let logger: Logger
    /// The body in flight: when it began and how much of it has come.
    private var started: NIODeadline?
    private var bytes = 0
    private var answerStarted = false
    private var check: RepeatedTask?

    /// How often a body in flight is looked at.
    static let checkInterval = TimeAmount.milliseconds(250)

    private let metrics: ServerMetrics?

    init(pace: UploadPace, metrics: ServerMetrics? = nil, logger: Logger) {
        self.pace = pace
        self.metrics = metrics
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            answerStarted = false
            if Self.hasBody(head), pace.maxSeconds > 0 || pace.minBytesPerSecond > 0 {
                begin(context: context)
            }
        case .body(let buffer):
            bytes += buffer.readableBytes
        case .end:
            stop()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head = unwrapOutboundIn(data) { answerStarted = true }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    /// A request with a body: a length over 0, or chunked.
    static func hasBody(_ head: HTTPRequestHead) -> Bool {
        if head.headers[canonicalForm: "transfer-encoding"].contains(where: { $0.lowercased() == "chunked" }) { return true }
        return head.headers.first(name: "content-length").flatMap(Int.init).map { $0 > 0 } ?? false
    }

    private func begin(context: ChannelHandlerContext) {
        stop()
        started = .now()
        bytes = 0
        // Both only ever touched on the channel's event loop; `stop` (at the latest when the
        // channel goes) cancels the task and so lets go of the handler.
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        check = context.eventLoop.scheduleRepeatedTask(initialDelay: Self.checkInterval, delay: Self.checkInterval) { _ in
            bound.value.handler.look(context: bound.value.context)
        }
    }

    private func look(context: ChannelHandlerContext) {
        guard let started else { return }
        let elapsed = Double((NIODeadline.now() - started).nanoseconds) / 1e9
        guard let problem = pace.problem(bytes: bytes, elapsed: elapsed) else { return }
        stop()
        metrics?.refused(.tooSlow)
        logger.info("closed a slow upload", metadata: ["bytes": "\(bytes)", "seconds": "\(Int(elapsed))"])
        if answerStarted {
            context.close(promise: nil)
        } else {
            ChannelErrorAnswer.send(.requestTimeout, problem, context: context)
        }
    }

    private func stop() {
        check?.cancel()
        check = nil
        started = nil
    }
}
