import HTTPTypes
import Hummingbird

/// The headers every answer carries: `X-Content-Type-Options: nosniff`,
/// `Referrer-Policy: no-referrer`, the dashboard's strict `Content-Security-Policy` on any
/// page or SVG that lacks one, and the CORS response headers for an allowed origin.
///
/// Added last by ``RequestLifecycleMiddleware``, so that error answers carry them too.
struct SecurityHeaders: Sendable {
    let cors: CORSPolicy

    func decorate(_ headers: inout HTTPFields, for request: Request) {
        Self.addHeaders(to: &headers)
        cors.decorate(&headers, for: request)
    }

    /// The most fields ``addHeaders(to:)`` appends.
    static let maxAdded = 3

    /// Appended, not set: no route sets these two, and a set searches and rebuilds the fields.
    /// Made once, so their values are not checked again for every answer.
    ///
    /// One pass over the fields finds both `Content-Type` and `Content-Security-Policy`: the
    /// fields' by-name getter joins every match into a new string, 2,200 instructions a call
    /// (`scripts/bench/callgrind.sh`).
    static func addHeaders(to headers: inout HTTPFields) {
        var isPage = false
        var hasPolicy = false
        for field in headers {
            if field.name == .contentType {
                isPage = isPage || Self.isPage(field.value)
            } else if field.name == .contentSecurityPolicy {
                hasPolicy = true
            }
        }
        headers.append(nosniff)
        headers.append(noReferrer)
        if isPage && !hasPolicy { headers.append(pagePolicy) }
    }

    private static let nosniff = HTTPField(name: .xContentTypeOptions, value: "nosniff")
    private static let noReferrer = HTTPField(name: .referrerPolicy, value: "no-referrer")
    private static let pagePolicy = HTTPField(name: .contentSecurityPolicy, value: DashboardRoutes.contentSecurityPolicy)

    /// Whether a `Content-Type` is a page or an SVG (which may run script): compared without
    /// building a lowercased copy, since every answer passes here.
    static func isPage(_ contentType: String) -> Bool {
        var contentType = contentType
        return contentType.withUTF8 { text in pageTypes.contains { hasPrefixIgnoringASCIICase(text, $0) } }
    }

    private static let pageTypes: [[UInt8]] = ["text/html", "image/svg+xml", "application/xhtml+xml"].map { Array($0.utf8) }

    private static func hasPrefixIgnoringASCIICase(_ text: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8]) -> Bool {
        guard text.count >= prefix.count else { return false }
        for (byte, expected) in zip(text, prefix) {
            let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            guard lower == expected else { return false }
        }
        return true
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
}
