import Hummingbird
import NIOCore

/// What a request carries through the router: the caller's address and, once the token
/// middleware has run, the caller's account (nil for an anonymous caller).
public struct OCRRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The authenticated account; nil when no token was given.
    public var account: AccountRecord?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address, for anonymous allowances ("unknown" when the transport has none).
    var clientIP: String { remoteAddress?.ipAddress ?? "unknown" }
}
