import KVConfiguration
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
