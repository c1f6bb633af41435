import Hummingbird
import NIOCore

/// `GET /metrics`: Prometheus' text format. Without a token in the configuration only a client on
/// this machine (loopback) gets it; with `metrics.token` every client must send it as
/// `Authorization: Bearer TOKEN`. It is added before the account tokens' middleware: the metrics
/// token is not an account's.
struct MetricsController {
    let dependencies: ServerDependencies

    func addRoutes(to router: Router<OCRRequestContext>) {
        guard dependencies.configuration.metrics.enabled else { return }
        router.get("/metrics") { request, context in
            try authorize(request, context: context)
            let text = try await dependencies.metrics.exposition(store: dependencies.store, reader: dependencies.reader)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    private func authorize(_ request: Request, context: OCRRequestContext) throws {
        if let token = dependencies.configuration.metrics.token, !token.isEmpty {
            let (header, _) = TokenMiddleware.tokens(in: request)
            guard let header, ConstantTime.equals(header, token) else {
                throw APIError(.unauthorized, "the metrics need the token set in metrics.token (Authorization: Bearer TOKEN)")
            }
            return
        }
        guard Self.isLoopback(context.remoteAddress) else {
            throw APIError(.forbidden, "the metrics are served to this machine only; set metrics.token to open them to a scraper elsewhere")
        }
    }

    /// 127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6.
    static func isLoopback(_ address: SocketAddress?) -> Bool {
        guard let ip = address?.ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }
}
