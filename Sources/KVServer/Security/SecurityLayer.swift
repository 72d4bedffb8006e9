import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import KVConfiguration
import KVMonitoring
import Logging
import NIOCore
import NIOSSL

/// Everything `security.*` configures, built once from the configuration and wired in by the
/// composition root: start-up refusal, the middleware, and the listeners' server builder
/// (TLS, idle timeout, request deadline, connection cap).
struct SecurityLayer: Sendable {
    let configuration: KVStoreConfiguration.Security
    let policy: AccessPolicy
    let verifier: TokenVerifier
    let cors: CORSPolicy
    /// `server.allowed_hosts`, worked out once.
    let hosts: HostAllowList
    /// `security.rate_limit`: one table shared by every listener; nil when off.
    let rateLimiter: RateLimiter?
    /// Nil without `security.tls_certificate_file`: plain HTTP.
    let tlsConfiguration: TLSConfiguration?

    /// Checks that the server may start as configured (see ``validateStartup(_:)``) and loads the TLS files.
    /// The rate limit reads time from `clock` (tests pass a manual one).
    init<C: Clock>(configuration: KVStoreConfiguration, clock: C) throws(SecurityStartupError) where C.Duration == Duration {
        try Self.validateStartup(configuration)
        let security = configuration.security
        self.configuration = security
        self.policy = AccessPolicy(configuration: security)
        self.verifier = TokenVerifier(tokens: security.tokens)
        self.cors = CORSPolicy(origins: security.corsOrigins)
        self.hosts = HostAllowList(configuration: configuration)
        let limit = security.rateLimit
        self.rateLimiter = limit.isEnabled
            ? RateLimiter(requestsPerSecond: limit.requestsPerSecond, burst: limit.effectiveBurst, maxClients: limit.maxClients, clock: clock)
            : nil
        if let certificate = security.tlsCertificateFile, let key = security.tlsKeyFile {
            tlsConfiguration = try TLSFiles.serverConfiguration(certificateFile: certificate, keyFile: key)
        } else {
            tlsConfiguration = nil
        }
    }

    init(configuration: KVStoreConfiguration) throws(SecurityStartupError) {
        try self.init(configuration: configuration, clock: ContinuousClock())
    }

    /// Protected mode: without a usable token, only a loopback `server.host` (which the metrics
    /// listener shares) may be bound. Throws one line saying what to change.
    static func validateStartup(_ configuration: KVStoreConfiguration) throws(SecurityStartupError) {
        let security = configuration.security
        let usableTokens = security.tokens.filter { !($0.secret ?? "").isEmpty }
        if usableTokens.count != security.tokens.count {
            let names = security.tokens.filter { ($0.secret ?? "").isEmpty }.map(\.name).joined(separator: ", ")
            throw SecurityStartupError(.missingSecret, "security.tokens: no secret was loaded for \(names); give each token a secret or a readable secret_file")
        }
        let host = configuration.server.host
        if usableTokens.isEmpty && !LoopbackAddress.contains(host) {
            let listeners = configuration.metrics.port.map { "ports \(configuration.server.port) and \($0)" } ?? "port \(configuration.server.port)"
            throw SecurityStartupError(
                .unprotectedBind,
                "refusing to start: server.host \"\(host)\" is not a loopback address and security.tokens is empty, so anyone "
                    + "who can reach \(listeners) could read and change every key; add a token (security.tokens, or "
                    + "KVSTORE_SECURITY_TOKENS), or bind to 127.0.0.1")
        }
        if security.tlsCertificateFile != nil, security.tlsKeyFile == nil {
            throw SecurityStartupError(.incompleteTLS, "security.tls_certificate_file requires security.tls_key_file; set both for HTTPS, or neither")
        }
        if security.tlsKeyFile != nil, security.tlsCertificateFile == nil {
            throw SecurityStartupError(.incompleteTLS, "security.tls_key_file requires security.tls_certificate_file; set both for HTTPS, or neither")
        }
    }

    /// `https` with TLS, else `http`.
    var scheme: String { tlsConfiguration == nil ? "http" : "https" }

    /// The headers of every answer: `nosniff`, `Referrer-Policy`, CSP on pages and SVGs, CORS response headers.
    var headers: SecurityHeaders {
        SecurityHeaders(cors: cors)
    }

    /// The access rules of one listener (a stage of ``RequestLifecycleMiddleware``): allowed hosts, rate
    /// limit, CORS preflight, query-token refusal, tokens, roles, health details, cross-site writes. Counts
    /// its 429s as `kvstore_http_rate_limited_total{listener}` when a registry is given.
    func accessControl(monitor: HealthMonitor, listener: String, registry: MetricsRegistry?) throws -> AccessControl {
        let rateLimited = try registry.map { try $0.registerCounter(KVMetrics.httpRateLimitedTotal).labels(listener) }
        return AccessControl(
            policy: policy, verifier: verifier, cors: cors, monitor: monitor, hosts: hosts, rateLimiter: rateLimiter,
            rateLimited: rateLimited, scheme: scheme)
    }

    /// A server builder for one listener: HTTP/1.1 with the idle timeout, TLS when configured, and
    /// the connection guard (cap and request deadline). Each call has its own connection count,
    /// exported as `kvstore_http_connections_*{listener}` when a registry is given.
    func serverBuilder(listener: String, registry: MetricsRegistry?) throws -> HTTPServerBuilder {
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestProgressHandler()],
            idleTimeout: Self.timeAmount(seconds: configuration.idleTimeoutSeconds))
        let limiter = ConnectionLimiter(limit: configuration.maxConnections)
        if let registry {
            let open = try registry.registerGauge(KVMetrics.httpConnectionsOpen).labels(listener)
            let refused = try registry.registerCounter(KVMetrics.httpConnectionsRefusedTotal).labels(listener)
            let timedOut = try registry.registerCounter(KVMetrics.httpConnectionsTimedOutTotal).labels(listener)
            registry.addCollector {
                open.set(limiter.openConnections)
                refused.set(total: Double(limiter.refusedConnections))
                timedOut.set(total: Double(limiter.timedOutConnections))
            }
        }
        let settings = ConnectionGuardHandler.Settings(
            limiter: limiter,
            requestTimeout: Self.timeAmount(seconds: configuration.requestTimeoutSeconds),
            answersRefusal: tlsConfiguration == nil)
        let tls = tlsConfiguration
        return HTTPServerBuilder { responder in
            let base = HTTP1Channel(responder: responder, configuration: http1)
            if let tls {
                return GuardedChildChannel(base: try TLSChannel(base, tlsConfiguration: tls), settings: settings)
            }
            return GuardedChildChannel(base: base, settings: settings)
        }
    }

    static func timeAmount(seconds: Double) -> TimeAmount {
        .nanoseconds(Int64((max(0.001, min(seconds, 1e9)) * 1e9).rounded()))
    }
}
