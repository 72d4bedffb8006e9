import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The per-request context: Hummingbird's core storage plus the request's identity.
public struct KVRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The request id echoed in `X-Request-ID` and in every log line.
    public var requestID: String = ""
    /// The W3C trace context this request belongs to.
    public var trace: TraceContext?
    /// The largest body a route may read (`storage.max_value_bytes`); set by the routes.
    public var maxUploadSize: Int { 1 << 20 }
    /// The peer's address (nil in router-mode tests, which have no socket); the rate limit's key without a token.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
