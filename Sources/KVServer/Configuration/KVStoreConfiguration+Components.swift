import KVConfiguration
import KVDashboard
import KVMonitoring
import Logging

// The one place where configuration values become the types the components take. Every
// conversion is an exhaustive `switch`: a case added on either side fails the build instead of
// falling back silently to a default. `ConfigurationMappingTests` walks every case.

extension Logger.Level {
    /// The swift-log level of the same name.
    public init(_ level: KVStoreConfiguration.Logging.Level) {
        switch level {
        case .trace: self = .trace
        case .debug: self = .debug
        case .info: self = .info
        case .notice: self = .notice
        case .warning: self = .warning
        case .error: self = .error
        case .critical: self = .critical
        }
    }
}

extension AlertRule {
    /// The rule a configured rule describes; seconds become durations.
    init(_ rule: KVStoreConfiguration.Alerts.Rule) {
        self.init(
            name: rule.name, kind: rule.kind, severity: rule.severity, threshold: rule.threshold,
            window: .milliseconds(Int64(rule.windowSeconds * 1000)), forDuration: .milliseconds(Int64(rule.forSeconds * 1000)),
            summary: rule.summary, description: rule.description)
    }
}

extension KVStoreConfiguration.Dashboard {
    /// `dashboard.ranges` as the dashboard's pages.
    var rangePages: RangePages {
        // The parser allows only 1 to 8 distinct durations, each named by its number and unit (`24h`):
        // always valid names and pages. Anything else is a programming error.
        guard let pages = RangePages(ranges.compactMap { DashboardRange(name: $0.name, seconds: $0.seconds) }),
              pages.ranges.count == ranges.count else {
            preconditionFailure("dashboard.ranges holds a range the parser would refuse: \(ranges)")
        }
        return pages
    }
}
