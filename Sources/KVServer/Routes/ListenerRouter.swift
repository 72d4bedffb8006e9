import HTTPTypes
import Hummingbird

/// A listener's routes: Hummingbird's router, every route in it under ``RequestLifecycleMiddleware``,
/// and the same routes again in a table by path that answers most requests before the router's
/// trie is walked (``PathTableResponder``).
///
/// Built once by the composition root, then handed to the `Application` as its responder builder.
final class ListenerRouter: HTTPResponderBuilder {
    typealias Handler = @Sendable (Request, KVRequestContext) async throws -> Response

    /// Hummingbird's router: every route (HEAD included, generated from each GET), and the
    /// answer for any path the table does not take.
    let router: Router<KVRequestContext>
    private let middleware: RequestLifecycleMiddleware
    private var routes: [(info: RouteInfo, handler: Handler)] = []

    init(middleware: RequestLifecycleMiddleware) {
        router = Router(context: KVRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: middleware)
        self.middleware = middleware
    }

    /// Adds `info`'s method and path, answered by `handler`.
    func on(_ info: RouteInfo, handler: @escaping Handler) {
        router.on(RouterPath(info.path), method: info.method, use: handler)
        routes.append((info, handler))
    }

    func buildResponder() -> PathTableResponder {
        PathTableResponder(routes: routes, middleware: middleware, router: router.buildResponder())
    }
}

/// Finds a request's route by one hash lookup of its path where that gives the answer Hummingbird's
/// trie would, and asks the trie otherwise.
///
/// The trie walks a path character by character: 9,600 instructions for `/api/v1/ping`, 5% of
/// the whole request (`scripts/bench/callgrind.sh`). The table holds two kinds of template:
/// - a path without parameters (`/api/v1/ping`), looked up as the request's path;
/// - a literal prefix and one parameter segment (`/api/v1/kv/{key}`), looked up as the path up to
///   its last `/`, when no other template starts with that prefix (so the trie could match
///   nothing else there).
///
/// Anything else goes to the trie as before: another method on the same path (the generated HEAD,
/// a 404 or 405), a trailing or doubled `/`, more segments, a last segment that starts with a
/// non-ASCII byte.
struct PathTableResponder: HTTPResponder {
    typealias Context = KVRequestContext

    struct Endpoint: Sendable {
        /// The template as the trie reports it in `context.endpointPath`.
        let template: String
        /// The parameter the last segment fills; nil for a path without parameters.
        let parameter: String?
        var methods: [(method: HTTPRequest.Method, handler: ListenerRouter.Handler)] = []

        func handler(for method: HTTPRequest.Method) -> ListenerRouter.Handler? {
            methods.first { $0.method == method }?.handler
        }
    }

    private let exact: [String: Endpoint]
    /// Keyed by the literal prefix, ending in `/`.
    private let lastSegment: [Substring: Endpoint]
    private let middleware: RequestLifecycleMiddleware
    private let router: RouterResponder<Context>

    init(routes: [(info: RouteInfo, handler: ListenerRouter.Handler)], middleware: RequestLifecycleMiddleware, router: RouterResponder<Context>) {
        var exact: [String: Endpoint] = [:]
        var lastSegment: [Substring: Endpoint] = [:]
        let templates = Set(routes.map(\.info.path))
        for (info, handler) in routes {
            let template = RouterPath(info.path).description
            if let (prefix, parameter) = Self.prefixAndParameter(of: info.path) {
                let shared = templates.contains { $0 != info.path && $0.hasPrefix(prefix) }
                guard !shared else { continue }
                lastSegment[Substring(prefix), default: Endpoint(template: template, parameter: parameter)].methods.append((info.method, handler))
            } else if !info.path.contains("{") && !info.path.contains("*") {
                exact[info.path, default: Endpoint(template: template, parameter: nil)].methods.append((info.method, handler))
            }
        }
        self.exact = exact
        self.lastSegment = lastSegment
        self.middleware = middleware
        self.router = router
    }

    /// `/a/b/{name}` as (`/a/b/`, `name`): literal segments, then one parameter that is the whole last segment.
    static func prefixAndParameter(of template: String) -> (prefix: String, parameter: String)? {
        guard let slash = template.lastIndex(of: "/") else { return nil }
        let prefix = template[...slash]
        let last = template[template.index(after: slash)...]
        guard last.count > 2, last.first == "{", last.last == "}", !prefix.contains("{"), !prefix.contains("*") else { return nil }
        let name = last.dropFirst().dropLast()
        guard !name.contains("{"), !name.contains("}") else { return nil }
        return (String(prefix), String(name))
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        if let endpoint = exact[path], let handler = endpoint.handler(for: request.method) {
            return try await serve(request, context, endpoint, handler, value: nil)
        }
        let bytes = path.utf8
        // A non-ASCII byte right after the slash may begin a combining mark, which the trie's split
        // (by Character) joins to the slash: such paths are left to it.
        if let slash = bytes.lastIndex(of: UInt8(ascii: "/")), slash != bytes.index(before: bytes.endIndex),
           bytes[bytes.index(after: slash)] < 0x80 {
            let end = bytes.index(after: slash)
            if let endpoint = lastSegment[path[..<end]], let handler = endpoint.handler(for: request.method) {
                return try await serve(request, context, endpoint, handler, value: path[end...])
            }
        }
        return try await router.respond(to: request, context: context)
    }

    /// What the router does once it has found the route: the template and the parameter in the
    /// context (routes read it with ``KVRequestContext/parameter(_:)``), the middleware, and an
    /// `HTTPResponseError` that escapes turned into its answer.
    private func serve(
        _ request: Request, _ context: Context, _ endpoint: Endpoint, _ handler: ListenerRouter.Handler, value: Substring?
    ) async throws -> Response {
        var context = context
        if let name = endpoint.parameter, let value { context.routedParameter = (name, value) }
        context.coreContext.endpointPath.value = endpoint.template
        do {
            return try await middleware.handle(request, context: context, next: handler)
        } catch let error as any HTTPResponseError {
            return try error.response(from: request, context: context)
        }
    }
}
