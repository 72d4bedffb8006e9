import HTTPTypes
import Hummingbird

/// Cross-origin access for browsers: off unless `security.cors_origins` lists origins.
///
/// For a listed origin (or any, with `*`) the answer names that exact origin, with
/// `Vary: Origin`; other origins get no CORS headers at all, so the browser blocks them.
/// Credentials mode (cookies) is never allowed: tokens travel in `Authorization`.
struct CORSPolicy: Sendable {
    static let allowedMethods = "GET, HEAD, PUT, DELETE, POST"
    static let allowedHeaders = "Authorization, Content-Type"
    static let exposedHeaders = "X-Request-ID, WWW-Authenticate"
    static let maxAgeSeconds = 600

    private let origins: Set<String>
    private let anyOrigin: Bool

    init(origins: [String]) {
        self.anyOrigin = origins.contains("*")
        self.origins = Set(origins.filter { $0 != "*" }.map { $0.lowercased() })
    }

    var isEnabled: Bool { anyOrigin || !origins.isEmpty }

    /// The request's origin when it is allowed.
    func allowedOrigin(of request: Request) -> String? {
        guard isEnabled, let origin = request.headers[.origin], !origin.isEmpty, origin != "null" else { return nil }
        return anyOrigin || origins.contains(origin.lowercased()) ? origin : nil
    }

    /// The answer to a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from an
    /// allowed origin; nil for any other request, which then goes on to the routes as usual.
    func preflightResponse(to request: Request) -> Response? {
        guard request.method == .options, request.headers[.accessControlRequestMethod] != nil,
            let origin = allowedOrigin(of: request)
        else { return nil }
        return Response(
            status: .noContent,
            headers: [
                .accessControlAllowOrigin: origin,
                .accessControlAllowMethods: Self.allowedMethods,
                .accessControlAllowHeaders: Self.allowedHeaders,
                .accessControlMaxAge: String(Self.maxAgeSeconds),
                .vary: "Origin",
            ])
    }

    /// Adds `Vary: Origin`, and for an allowed origin the CORS response headers, to an answer.
    func decorate(_ headers: inout HTTPFields, for request: Request) {
        guard isEnabled else { return }
        if !headers[values: .vary].contains(where: { $0.lowercased().contains("origin") }) {
            headers.append(HTTPField(name: .vary, value: "Origin"))
        }
        guard let origin = allowedOrigin(of: request) else { return }
        headers[.accessControlAllowOrigin] = origin
        if headers[.accessControlExposeHeaders] == nil {
            headers[.accessControlExposeHeaders] = Self.exposedHeaders
        }
    }
}
