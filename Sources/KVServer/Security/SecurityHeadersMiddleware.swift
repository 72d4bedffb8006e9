import HTTPTypes
import Hummingbird

/// Adds the headers every answer carries: `X-Content-Type-Options: nosniff`,
/// `Referrer-Policy: no-referrer`, the dashboard's strict `Content-Security-Policy` on any
/// page or SVG that lacks one, and the CORS response headers for an allowed origin.
///
/// Add it first (outermost), so that it also sees the answers other middleware make.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = KVRequestContext
    let cors: CORSPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        Self.addHeaders(to: &response.headers)
        cors.decorate(&response.headers, for: request)
        return response
    }

    static func addHeaders(to headers: inout HTTPFields) {
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "no-referrer"
        if headers[.contentSecurityPolicy] == nil, let type = headers[.contentType]?.lowercased(),
            type.hasPrefix("text/html") || type.hasPrefix("image/svg+xml") || type.hasPrefix("application/xhtml+xml")
        {
            headers[.contentSecurityPolicy] = DashboardRoutes.contentSecurityPolicy
        }
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
}
