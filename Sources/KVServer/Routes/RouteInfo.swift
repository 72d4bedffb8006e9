import HTTPTypes

/// What the router, the metrics and the access policy know of a route: everything but its handler.
struct RouteInfo: Sendable, Equatable {
    let method: HTTPRequest.Method
    /// The template as the router prints it (`/api/v1/kv/{key}`): also the `route` metric label.
    let path: String
    let access: RouteAccess
    let listeners: Set<Listener>

    /// Whether a kubelet probes this route (`.liveness` or `.probe`): such routes are never rate limited.
    var isProbe: Bool { access == .always(.liveness) || access == .always(.probe) }
}
