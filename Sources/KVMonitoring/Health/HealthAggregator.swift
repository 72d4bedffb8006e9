import KVSnapshot

/// Combines check reports into one status and summary (pure).
public enum HealthAggregator {
    /// Any unhealthy critical check → unhealthy; any other unhealthy or any degraded check →
    /// degraded; otherwise (including no checks) healthy.
    public static func status<Checks: Sequence>(of checks: Checks) -> HealthStatus where Checks.Element == HealthCheckReport {
        var result = HealthStatus.healthy
        for check in checks {
            switch check.status {
            case .healthy: continue
            case .degraded: result = max(result, .degraded)
            case .unhealthy:
                if check.critical { return .unhealthy }
                result = max(result, .degraded)
            }
        }
        return result
    }

    /// Counts of checks by their effective status.
    public static func summary<Checks: Sequence>(of checks: Checks) -> HealthSummary where Checks.Element == HealthCheckReport {
        var summary = HealthSummary(total: 0, healthy: 0, degraded: 0, unhealthy: 0)
        for check in checks {
            summary.total += 1
            switch check.status {
            case .healthy: summary.healthy += 1
            case .degraded: summary.degraded += 1
            case .unhealthy: summary.unhealthy += 1
            }
        }
        return summary
    }

    /// The full report: status and summary of `checks`, keyed by name.
    public static func report(
        checks: [HealthCheckReport], version: String, uptimeSeconds: Double, system: SystemInfo, time: String
    ) -> HealthReport {
        HealthReport(
            status: self.status(of: checks),
            version: version,
            uptimeSeconds: uptimeSeconds,
            checks: Dictionary(checks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }),
            summary: self.summary(of: checks),
            system: system,
            time: time
        )
    }
}
