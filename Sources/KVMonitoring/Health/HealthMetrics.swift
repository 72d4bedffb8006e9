import KVSnapshot

/// Records health into a `MetricsRegistry`: overall and per-check status as state-set gauges
/// (`kvstore_health_status{state}`, `kvstore_health_check_status{check,state}`) and per-check
/// run time as a summary (`kvstore_health_check_duration_seconds{check}`).
public struct HealthMetrics: Sendable {
    private let overall: GaugeFamily
    private let perCheck: GaugeFamily
    private let durations: SummaryFamily

    /// Registers the health families on `registry`.
    public init(registry: MetricsRegistry) throws(MetricsRegistryError) {
        self.overall = try registry.registerGauge(KVMetrics.healthStatus)
        self.perCheck = try registry.registerGauge(KVMetrics.healthCheckStatus)
        self.durations = try registry.registerSummary(KVMetrics.healthCheckDurationSeconds)
    }

    /// Sets the overall state set: 1 for `status`, 0 for the other states.
    public func recordOverall(_ status: HealthStatus) {
        for state in HealthStatus.allCases {
            self.overall.labels(state.rawValue).set(state == status ? 1 : 0)
        }
    }

    /// Sets `check`'s state set: 1 for `status`, 0 for the other states.
    public func recordCheck(_ check: String, status: HealthStatus) {
        for state in HealthStatus.allCases {
            self.perCheck.labels(check, state.rawValue).set(state == status ? 1 : 0)
        }
    }

    /// Observes one run's duration.
    public func observeDuration(of check: String, _ duration: Duration) {
        self.durations.labels(check).observe(duration)
    }
}
