import HTTPTypes
import Hummingbird
import KVConfiguration
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
    /// Read when the request arrives: NIO forgets it once the connection closes, and a request
    /// still queued then must be charged to its own client.
    public let remoteAddress: SocketAddress?
    /// The role of the caller's token, set by ``AccessControl`` once it has checked it
    /// against the route's rule; nil when no token was needed (no `security.tokens`, or an open
    /// route). A handler whose request needs more than its route's role (a transaction that
    /// writes) checks it against this.
    public var tokenRole: KVStoreConfiguration.Security.Role?
    /// The path parameter of a route the path table found (``PathTableResponder``), which leaves
    /// Hummingbird's `parameters` empty: building them cost 8,500 instructions a request.
    var routedParameter: (name: String, value: Substring)?

    /// The route's path parameter `name`, however the route was found: by the path table or by the trie.
    public func parameter(_ name: String) -> String? {
        if let routedParameter, routedParameter.name == name { return String(routedParameter.value) }
        return parameters.get(name)
    }

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
