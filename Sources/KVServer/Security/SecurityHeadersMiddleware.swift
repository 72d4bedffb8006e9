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
        if let type = headers[.contentType], Self.isPage(type), headers[.contentSecurityPolicy] == nil {
            headers[.contentSecurityPolicy] = DashboardRoutes.contentSecurityPolicy
        }
    }

    /// Whether a `Content-Type` is a page or an SVG (which may run script): compared without
    /// building a lowercased copy, since every answer passes here.
    static func isPage(_ contentType: String) -> Bool {
        pageTypes.contains { hasPrefixIgnoringASCIICase(contentType.utf8, $0) }
    }

    private static let pageTypes: [[UInt8]] = ["text/html", "image/svg+xml", "application/xhtml+xml"].map { Array($0.utf8) }

    private static func hasPrefixIgnoringASCIICase(_ text: String.UTF8View, _ prefix: [UInt8]) -> Bool {
        var index = text.startIndex
        for expected in prefix {
            guard index != text.endIndex else { return false }
            let byte = text[index]
            let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            guard lower == expected else { return false }
            index = text.index(after: index)
        }
        return true
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
}
