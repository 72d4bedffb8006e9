import HTTPTypes
import KVConfiguration

/// What each route asks of a caller: a pure table from (route template, method) to a rule.
///
/// Rules are looked up by the template the router matched, so the policy always agrees with
/// the handler that runs. A template missing from the table (a route added later and not
/// listed here) needs the `admin` role: new routes are closed until someone opens them.
struct AccessPolicy: Sendable {
    typealias Role = KVStoreConfiguration.Security.Role
    typealias HealthDetails = KVStoreConfiguration.Security.HealthDetails

    enum Rule: Sendable, Equatable {
        /// Anyone; the Authorization header is not looked at.
        case open
        /// A token with at least this role (waived when no tokens are configured: a loopback-only server).
        case role(Role)
        /// Stats and the snapshot API: per `security.health_details` (always: anyone; authorized: admin; never: nobody).
        case details
        /// `/api/v1/health`: the full report for whoever may see details, else the status only.
        case healthReport
        /// `/health`: version and uptime for whoever may see details, else `{"status":"healthy"}`.
        case liveness
        /// `/livez`, `/readyz`: `?verbose` (check names and reasons) only for whoever may see details.
        case probe
    }

    /// Whether any token is configured; without tokens, role rules are waived.
    let tokensConfigured: Bool
    let healthDetails: HealthDetails
    let protectMetrics: Bool
    let protectDashboard: Bool

    init(configuration: KVStoreConfiguration.Security) {
        tokensConfigured = !configuration.tokens.isEmpty
        healthDetails = configuration.effectiveHealthDetails
        protectMetrics = configuration.protectMetrics
        protectDashboard = configuration.protectDashboard
    }

    /// The rule for a request the router matched to `template` (nil: no route, answered 404).
    func rule(template: String?, method: HTTPRequest.Method) -> Rule {
        guard let template else { return .open }
        let reads = method == .get || method == .head
        switch template {
        case "/api/v1/kv/{key}", "/api/v1/kv":
            return .role(reads ? .read : .write)
        case "/api/v1/snapshots", "/api/v1/snapshots/{name}", "/api/v1/stats", "/api/v1/alerts":
            // Reading follows health_details; taking a snapshot (POST) is an admin action.
            return reads ? .details : .role(.admin)
        case "/api/v1/health":
            return .healthReport
        case "/health":
            return .liveness
        case "/livez", "/readyz":
            return .probe
        case "/api/v1/ping":
            return .open
        case "/api/v1/metrics", "/metrics":
            return protectMetrics ? .role(.read) : .open
        case "/dashboard", "/dashboard/{file}", "/dashboard/charts/{file}":
            return protectDashboard ? .role(.read) : .open
        default:
            return .role(.admin)
        }
    }

    /// Whether a caller with `identity` (nil: no valid token) may see health details, stats and snapshots.
    func maySeeDetails(_ identity: TokenVerifier.Identity?) -> Bool {
        switch healthDetails {
        case .always: true
        case .never: false
        case .authorized: identity.map { $0.role >= .admin } ?? false
        }
    }
}
