import HTTPTypes
import KVConfiguration

/// What each route asks of a caller: (route template, method) to a rule, from ``RouteTable``.
///
/// Rules are looked up by the template the router matched, so the policy always agrees with
/// the handler that runs. `HEAD` follows `GET` (the router generates it); a method the table does
/// not list on a known template needs that template's first write rule, else `admin`; a template
/// missing from the table needs `admin`: routes are closed until the table opens them.
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
    /// Route template → method → rule, as the route table declares them.
    private let rules: [String: [HTTPRequest.Method: Rule]]
    /// Route template → the rule for a method the table does not list there.
    private let otherMethods: [String: Rule]

    init(configuration: KVStoreConfiguration.Security) {
        tokensConfigured = !configuration.tokens.isEmpty
        healthDetails = configuration.effectiveHealthDetails
        protectMetrics = configuration.protectMetrics
        protectDashboard = configuration.protectDashboard
        var rules: [String: [HTTPRequest.Method: Rule]] = [:]
        var otherMethods: [String: Rule] = [:]
        for route in RouteTable.all {
            let rule = route.access.rule(in: configuration)
            rules[route.path, default: [:]][route.method] = rule
            if route.method != .get && route.method != .head && otherMethods[route.path] == nil { otherMethods[route.path] = rule }
        }
        self.rules = rules
        self.otherMethods = otherMethods
    }

    /// The rule for a request the router matched to `template` (nil: no route, answered 404).
    func rule(template: String?, method: HTTPRequest.Method) -> Rule {
        guard let template else { return .open }
        guard let byMethod = rules[template] else { return .role(.admin) }
        if let rule = byMethod[method] ?? (method == .head ? byMethod[.get] : nil) { return rule }
        return otherMethods[template] ?? .role(.admin)
    }

    /// Whether the route table declares a rule for `method` on `template` (`HEAD` through `GET`).
    func declaresRule(template: String, method: HTTPRequest.Method) -> Bool {
        guard let byMethod = rules[template] else { return false }
        return byMethod[method] != nil || (method == .head && byMethod[.get] != nil)
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
