import HTTPTypes
import Hummingbird

extension CORSPolicy {
    /// Methods that never change anything; every other method is a write.
    static let safeMethods: Set<HTTPRequest.Method> = [.get, .head, .options]

    /// Whether a write (any method but GET, HEAD and OPTIONS) comes from a web page that may not make it:
    /// its `Origin` is neither the server's own (`scheme://Host`) nor listed in `security.cors_origins`,
    /// or `Sec-Fetch-Site` says `cross-site` or `same-site` without such an `Origin`. A browser sends
    /// "simple" cross-origin POSTs without a preflight, so CORS alone does not stop them. Requests
    /// without either header (curl, SDKs) are never refused.
    func refusesWrite(_ request: Request, scheme: String) -> Bool {
        guard !Self.safeMethods.contains(request.method) else { return false }
        let origin = request.headers[.origin]
        if let origin {
            return !isAcceptable(origin: origin, for: request, scheme: scheme)
        }
        switch request.headers[.secFetchSite]?.lowercased() {
        case "cross-site", "same-site": return true
        default: return false
        }
    }

    /// The origin is the server's own, or listed (a listed origin may write cross-site: that is what listing it means).
    private func isAcceptable(origin: String, for request: Request, scheme: String) -> Bool {
        if allowedOrigin(of: request) != nil { return true }
        guard let authority = request.head.authority else { return false }
        return Self.normalizedOrigin(origin) == Self.normalizedOrigin("\(scheme)://\(authority)")
    }

    /// `scheme://host[:port]` in lower case, without the scheme's default port; nil when not of that form.
    static func normalizedOrigin(_ origin: String) -> String? {
        let lowered = origin.lowercased()
        guard let separator = lowered.range(of: "://") else { return nil }
        let scheme = lowered[..<separator.lowerBound]
        let authority = lowered[separator.upperBound...]
        guard scheme == "http" || scheme == "https", !authority.isEmpty, !authority.contains("/") else { return nil }
        let defaultPort = scheme == "http" ? ":80" : ":443"
        let trimmed = authority.hasSuffix(defaultPort) ? authority.dropLast(defaultPort.count) : authority
        return "\(scheme)://\(trimmed)"
    }
}

extension HTTPField.Name {
    static let secFetchSite = Self("Sec-Fetch-Site")!
}
