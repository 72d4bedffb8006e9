import HTTPTypes
import Hummingbird

/// One line of the route table: method, path template, access rule, listeners, and the handler
/// (a method of the feature's routes type).
struct Route<Feature: Sendable>: Sendable {
    typealias Handler = @Sendable (Feature, Request, KVRequestContext) async throws -> Response
    let info: RouteInfo
    let handler: Handler

    init(
        _ method: HTTPRequest.Method, _ path: String, access: RouteAccess, listeners: Set<Listener> = [.api],
        handler: @escaping Handler
    ) {
        info = RouteInfo(method: method, path: path, access: access, listeners: listeners)
        self.handler = handler
    }

    /// Adds this route, answered by `feature`, to `router`.
    func register(_ feature: Feature, on router: ListenerRouter) {
        let handler = handler
        router.on(info) { request, context in try await handler(feature, request, context) }
    }
}
