/// The Kubernetes-style probes and which checks each one looks at.
public enum HealthProbe: String, Sendable, CaseIterable {
    /// `/livez`: critical checks that are included in liveness (not external dependencies).
    case liveness = "livez"
    /// `/readyz`: every critical check.
    case readiness = "readyz"

    /// Whether this probe looks at a check with these flags.
    public func includes(critical: Bool, includedInLiveness: Bool) -> Bool {
        switch self {
        case .liveness: critical && includedInLiveness
        case .readiness: critical
        }
    }

    /// Whether this probe looks at `check`.
    public func includes(_ check: any HealthCheck) -> Bool {
        self.includes(critical: check.critical, includedInLiveness: check.includedInLiveness)
    }
}
