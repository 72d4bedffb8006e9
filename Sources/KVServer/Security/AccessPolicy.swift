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
    /// By template, then by method (``MatchedRoute``'s places): the rule the route table
    /// declares, nil where it declares none.
    private let rules: [[Rule?]]
    /// By template: the rule for a method the table does not list there.
    private let otherMethods: [Rule?]

    init(configuration: KVStoreConfiguration.Security) {
        tokensConfigured = !configuration.tokens.isEmpty
        healthDetails = configuration.effectiveHealthDetails
        protectMetrics = configuration.protectMetrics
        protectDashboard = configuration.protectDashboard
        var rules = [[Rule?]](repeating: [Rule?](repeating: nil, count: MatchedRoute.methods.count + 1), count: MatchedRoute.templates.count)
        var otherMethods = [Rule?](repeating: nil, count: MatchedRoute.templates.count)
        for route in RouteTable.all {
            let rule = route.access.rule(in: configuration)
            let template = MatchedRoute.index(ofTemplate: route.path)!
            rules[template][MatchedRoute.index(of: route.method)] = rule
            if route.method != .get && route.method != .head && otherMethods[template] == nil { otherMethods[template] = rule }
        }
        self.rules = rules
        self.otherMethods = otherMethods
    }

    /// The rule for a request the router matched to `route` (none: answered 404, so open).
    func rule(for route: MatchedRoute) -> Rule {
        guard route.isMatched else { return .open }
        guard let template = route.template else { return .role(.admin) }
        if let rule = declared(template, route.method) { return rule }
        return otherMethods[template] ?? .role(.admin)
    }

    /// The rule for a request the router matched to `template` (nil: no route, answered 404).
    func rule(template: String?, method: HTTPRequest.Method) -> Rule {
        rule(for: MatchedRoute(template: template, method: method))
    }

    /// Whether the route table declares a rule for `method` on `template` (`HEAD` through `GET`).
    func declaresRule(template: String, method: HTTPRequest.Method) -> Bool {
        guard let index = MatchedRoute.index(ofTemplate: template) else { return false }
        return declared(index, MatchedRoute.index(of: method)) != nil
    }

    /// The table's rule for a method on a template, `HEAD` through `GET`.
    private func declared(_ template: Int, _ method: Int) -> Rule? {
        rules[template][method] ?? (method == MatchedRoute.headIndex ? rules[template][MatchedRoute.getIndex] : nil)
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
