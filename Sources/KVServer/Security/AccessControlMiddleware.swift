import Foundation
import HTTPTypes
import Hummingbird
import KVMonitoring
import Logging

/// Decides, per request, whether the caller may go on, and how much health detail it sees.
///
/// In order: answers CORS preflights from allowed origins; refuses a token in the query
/// string (`400 token_in_query`, so that secrets stay out of URLs, proxy logs and browser
/// history); then applies the route's ``AccessPolicy/Rule``: `401` with
/// `WWW-Authenticate: Bearer realm="kvstore"` for a missing, wrong or non-Bearer credential,
/// `403` for a valid token whose role is too low, and status-only answers from the health
/// endpoints for callers who may not see details. Add it after `JSONErrorMiddleware`.
struct AccessControlMiddleware: RouterMiddleware {
    typealias Context = KVRequestContext
    /// Query parameters that look like a credential (compared case-insensitively).
    static let queryTokenNames: Set<String> = ["access_token", "token", "api_key", "apikey"]
    static let realm = "kvstore"

    let policy: AccessPolicy
    let verifier: TokenVerifier
    let cors: CORSPolicy
    let monitor: HealthMonitor

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let preflight = cors.preflightResponse(to: request) { return preflight }
        if let name = Self.queryTokenParameter(in: request) {
            context.logger.debug("access refused", metadata: ["reason": "token_in_query"])
            var error = APIError.badRequest(
                "token_in_query",
                "a credential in the query string (\(name)) is refused; send it as Authorization: Bearer <token>")
            error.headers[.wwwAuthenticate] = "Bearer realm=\"\(Self.realm)\", error=\"invalid_request\""
            return try error.response(from: request, context: context)
        }
        let rule = policy.rule(template: context.endpointPath, method: request.method)
        if rule == .open { return try await next(request, context) }

        let credentials = BearerCredentials(request.headers)
        var identity: TokenVerifier.Identity?
        if case .bearer(let secret) = credentials { identity = verifier.identity(forSecret: secret.utf8) }
        var context = context
        if let identity { context.logger[metadataKey: "token"] = .string(identity.name) }

        switch rule {
        case .open:
            return try await next(request, context)
        case .role(let role):
            guard policy.tokensConfigured else { return try await next(request, context) }
            return try await require(role, identity, credentials, request, context, next)
        case .details:
            switch policy.healthDetails {
            case .always:
                return try await next(request, context)
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
            if policy.maySeeDetails(identity) { return try await next(request, context) }
            return statusOnlyReport(request)
        case .liveness:
            if policy.maySeeDetails(identity) { return try await next(request, context) }
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"healthy\"}\n")))
        case .probe:
            if policy.maySeeDetails(identity) { return try await next(request, context) }
            return try await next(Self.removingVerbose(from: request), context)
        }
    }

    private func require(
        _ role: AccessPolicy.Role, _ identity: TokenVerifier.Identity?, _ credentials: BearerCredentials,
        _ request: Request, _ context: Context, _ next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let identity else { return try unauthorized(credentials, request, context) }
        guard identity.role >= role else {
            context.logger.debug("access refused", metadata: ["reason": "role", "role": .string(identity.role.rawValue)])
            var error = APIError(
                .forbidden, code: "forbidden",
                message: "this token's role (\(identity.role.rawValue)) does not allow \(request.method.rawValue) on this route; it needs \(role.rawValue)")
            error.headers[.wwwAuthenticate] = "Bearer realm=\"\(Self.realm)\", error=\"insufficient_scope\""
            return try error.response(from: request, context: context)
        }
        return try await next(request, context)
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
