import KVConfiguration

/// Who may call a route, as the route table declares it: a fixed rule, or one that a
/// `security.protect_*` switch turns from open into "needs a read token".
enum RouteAccess: Sendable, Equatable {
    case always(AccessPolicy.Rule)
    /// A read token with `security.protect_metrics`, else open.
    case metrics
    /// A read token with `security.protect_dashboard`, else open.
    case dashboard

    /// The rule under this security configuration.
    func rule(in security: KVStoreConfiguration.Security) -> AccessPolicy.Rule {
        switch self {
        case .always(let rule): rule
        case .metrics: security.protectMetrics ? .role(.read) : .open
        case .dashboard: security.protectDashboard ? .role(.read) : .open
        }
    }
}
