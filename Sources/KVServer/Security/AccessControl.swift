import Foundation
import HTTPTypes
import Hummingbird
import KVMonitoring
import Logging

/// Decides, per request, whether the caller may go on, and how much health detail it sees.
///
/// The security rules in one order, on every listener (each rule lives in its own type):
/// 1. the `Host` must be allowed (``HostAllowList``; `421 host_not_allowed`, against DNS rebinding);
/// 2. the client must be within its rate (``RateLimiter``; `429 rate_limited` with `Retry-After`),
///    except for the probes `/health`, `/livez` and `/readyz`;
/// 3. CORS preflights from allowed origins are answered;
/// 4. a token in the query string is refused (`400 token_in_query`, so that secrets stay out of
///    URLs, proxy logs and browser history);
/// 5. the route's ``AccessPolicy/Rule``: `401` with `WWW-Authenticate: Bearer realm="kvstore"` for a
///    missing, wrong or non-Bearer credential, `403` for a valid token whose role is too low, and
///    status-only answers from the health endpoints for callers who may not see details;
/// 6. a write from a web page of another origin is refused (``CORSPolicy/refusesWrite(_:scheme:)``;
///    `403 cross_origin`).
///
/// A stage of ``RequestLifecycleMiddleware``, after its identity and metrics, so that its refusals
/// are counted and logged like any other answer.
struct AccessControl: Sendable {
    typealias Context = KVRequestContext
    /// Query parameters that look like a credential (compared case-insensitively).
    static let queryTokenNames: Set<String> = ["access_token", "token", "api_key", "apikey"]
    static let realm = "kvstore"

    static let misdirected = HTTPResponse.Status(code: 421, reasonPhrase: "Misdirected Request")

    let policy: AccessPolicy
    let verifier: TokenVerifier
    let cors: CORSPolicy
    let monitor: HealthMonitor
    let hosts: HostAllowList
    /// Nil when `security.rate_limit.requests_per_second` is 0.
    let rateLimiter: RateLimiter?
    /// `kvstore_http_rate_limited_total{listener}` of this listener, when metrics are on.
    let rateLimited: Counter?
    /// `http` or `https`: a same-origin page's `Origin` is `scheme://Host`.
    let scheme: String

    /// `route`: what the router matched. Routes a kubelet probes (`/health`, `/livez`, `/readyz`)
    /// are never rate limited, so that a busy server is not restarted for it.
    func handle(
        _ request: Request, context: Context, route: MatchedRoute, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard hosts.allows(authority: request.head.authority) else {
            context.logger.debug("request refused", metadata: ["reason": "host_not_allowed"])
            let host = request.head.authority.map { "\"\($0.prefix(100))\"" } ?? "a missing Host header"
            return try APIError(
                Self.misdirected, code: "host_not_allowed",
                message: "this server does not answer for \(host); add it to server.allowed_hosts if it is this server's name")
                .response(from: request, context: context)
        }
        let credentials = BearerCredentials(request.headers)
        var identity: TokenVerifier.Identity?
        if !verifier.isEmpty, case .bearer(let secret) = credentials { identity = verifier.identity(forSecret: secret.utf8) }
        if let rateLimiter, !route.isProbe {
            let client = identity.map { "token:" + $0.name } ?? "address:" + (context.remoteAddress?.ipAddress ?? "unknown")
            if let retryAfter = rateLimiter.admit(client) {
                rateLimited?.increment()
                context.logger.debug("request refused", metadata: ["reason": "rate_limited"])
                var error = APIError(
                    .tooManyRequests, code: "rate_limited",
                    message: "too many requests from this client (security.rate_limit); retry after \(retryAfter) s")
                error.headers[.retryAfter] = String(retryAfter)
                return try error.response(from: request, context: context)
            }
        }
        if let preflight = cors.preflightResponse(to: request) { return preflight }
        if let name = Self.queryTokenParameter(in: request) {
            context.logger.debug("access refused", metadata: ["reason": "token_in_query"])
            var error = APIError.badRequest(
                "token_in_query",
                "a credential in the query string (\(name)) is refused; send it as Authorization: Bearer <token>")
            error.headers[.wwwAuthenticate] = "Bearer realm=\"\(Self.realm)\", error=\"invalid_request\""
            return try error.response(from: request, context: context)
        }
        let rule = policy.rule(for: route)
        if rule == .open { return try await proceed(request, context, next) }

        var context = context
        if let identity { context.logger[metadataKey: "token"] = .string(identity.name) }

        switch rule {
        case .open:
            return try await proceed(request, context, next)
        case .role(let role):
            guard policy.tokensConfigured else { return try await proceed(request, context, next) }
            return try await require(role, identity, credentials, request, context, next)
        case .details:
            switch policy.healthDetails {
            case .always:
                return try await proceed(request, context, next)
            case .never:
                return try APIError(.forbidden, code: "details_disabled", message: "security.health_details is never: stats and snapshots are not served")
                    .response(from: request, context: context)
            case .authorized:
                return try await require(.admin, identity, credentials, request, context, next)
            }
        case .healthReport:
            if policy.tokensConfigured, identity == nil, !Self.isAbsent(credentials) {
                return try unauthorized(credentials, request, context)
            }
            if policy.maySeeDetails(identity) { return try await proceed(request, context, next) }
            return statusOnlyReport(request)
        case .liveness:
            if policy.maySeeDetails(identity) { return try await proceed(request, context, next) }
            return Response(
                status: .ok, headers: ContentType.jsonFields,
                body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"healthy\"}\n")))
        case .probe:
            if policy.maySeeDetails(identity) { return try await proceed(request, context, next) }
            return try await proceed(Self.removingVerbose(from: request), context, next)
        }
    }

    /// The last rule before the route: a write from another origin's web page is refused.
    private func proceed(
        _ request: Request, _ context: Context, _ next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if cors.refusesWrite(request, scheme: scheme) {
            context.logger.debug("request refused", metadata: ["reason": "cross_origin"])
            let from = request.headers[.origin].map { "origin \"\($0.prefix(200))\"" } ?? "Sec-Fetch-Site: \(request.headers[.secFetchSite] ?? "")"
            return try APIError(
                .forbidden, code: "cross_origin",
                message: "a \(request.method.rawValue) from a web page of another site (\(from)) is refused; list its origin in security.cors_origins to allow it")
                .response(from: request, context: context)
        }
        return try await next(request, context)
    }

    private func require(
        _ role: AccessPolicy.Role, _ identity: TokenVerifier.Identity?, _ credentials: BearerCredentials,
        _ request: Request, _ context: Context, _ next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let identity else { return try unauthorized(credentials, request, context) }
        guard identity.role >= role else {
            return try Self.roleTooLow(identity.role, needs: role, request, context).response(from: request, context: context)
        }
        var context = context
        context.tokenRole = identity.role
        return try await proceed(request, context, next)
    }

    /// The `403 forbidden` for a valid token whose role is below `needed` (logged at debug level):
    /// the route's rule here, and a handler whose request needs more than its route (a
    /// transaction that writes) through `context.tokenRole`.
    static func roleTooLow(
        _ role: AccessPolicy.Role, needs needed: AccessPolicy.Role, _ request: Request, _ context: Context, because reason: String? = nil
    ) -> APIError {
        context.logger.debug("access refused", metadata: ["reason": "role", "role": .string(role.rawValue)])
        var error = APIError(
            .forbidden, code: "forbidden",
            message: "this token's role (\(role.rawValue)) does not allow \(request.method.rawValue) on this route\(reason.map { " " + $0 } ?? ""); it needs \(needed.rawValue)")
        error.headers[.wwwAuthenticate] = "Bearer realm=\"\(realm)\", error=\"insufficient_scope\""
        return error
    }

    private func unauthorized(_ credentials: BearerCredentials, _ request: Request, _ context: Context) throws -> Response {
        let error: APIError
        var challenge = "Bearer realm=\"\(Self.realm)\""
        switch credentials {
        case .none:
            error = APIError(.unauthorized, code: "unauthorized", message: "this route needs a token: send Authorization: Bearer <token>")
        case .bearer:
            error = APIError(.unauthorized, code: "invalid_token", message: "the bearer token is not valid")
            challenge += ", error=\"invalid_token\""
        case .unsupported:
            error = APIError(.unauthorized, code: "unauthorized", message: "only one Authorization: Bearer <token> header is accepted")
            challenge += ", error=\"invalid_request\""
        }
        context.logger.debug("access refused", metadata: ["reason": .string(error.code), "credentials": .string(credentials.description)])
        var withChallenge = error
        withChallenge.headers[.wwwAuthenticate] = challenge
        return try withChallenge.response(from: request, context: context)
    }

    private static func isAbsent(_ credentials: BearerCredentials) -> Bool {
        if case .none = credentials { return true }
        return false
    }

    /// `{"status": ...}` with the report's HTTP status (503 when unhealthy), in the shape `Accept` asks for.
    private func statusOnlyReport(_ request: Request) -> Response {
        let now = Date()
        let status = HealthAggregator.status(of: monitor.checkReports())
        let ietf = request.headers[.accept]?.contains("application/health+json") == true
        let body = "{\"status\":\"\(ietf ? status.ietfStatus : status.rawValue)\"}\n"
        return Response(
            status: .init(code: HealthRenderer.httpStatus(for: status)),
            headers: [
                .contentType: ietf ? HealthRenderer.ietfContentType : HealthRenderer.jsonContentType,
                .cacheControl: HealthRenderer.cacheControl(maxAgeSeconds: monitor.secondsUntilNextRun(now: now)),
            ],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// The name of the first query parameter that carries a credential, if any.
    static func queryTokenParameter(in request: Request) -> String? {
        guard let query = request.uri.query, !query.isEmpty else { return nil }
        for item in query.split(separator: "&") {
            let rawName = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let name = Self.decodedQueryName(rawName).lowercased()
            if queryTokenNames.contains(name) { return name }
        }
        return nil
    }

    /// The request without any `verbose` query parameter (however it is percent-encoded).
    static func removingVerbose(from request: Request) -> Request {
        guard let query = request.uri.query, !query.isEmpty else { return request }
        let items = query.split(separator: "&", omittingEmptySubsequences: false)
        let kept = items.filter { item in
            let rawName = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return decodedQueryName(rawName).lowercased() != "verbose"
        }
        guard kept.count != items.count else { return request }
        var head = request.head
        head.path = request.uri.path + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
        return Request(head: head, body: request.body)
    }

    private static func decodedQueryName(_ raw: Substring) -> String {
        let plus = raw.replacingOccurrences(of: "+", with: " ")
        return plus.removingPercentEncoding ?? plus
    }
}
