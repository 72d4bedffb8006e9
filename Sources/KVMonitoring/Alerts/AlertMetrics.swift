/// Records alert notification results into a `MetricsRegistry`
/// (`kvstore_alert_notifications_total{result}`).
public struct AlertMetrics: Sendable {
    /// What happened to one notification to one receiver.
    public enum Result: String, Sendable, CaseIterable {
        case sent, failed, dropped
    }

    private let notifications: CounterFamily

    /// Registers the alert families on `registry`, with every `result` series at zero.
    public init(registry: MetricsRegistry) throws(MetricsRegistryError) {
        self.notifications = try registry.registerCounter(KVMetrics.alertNotificationsTotal)
        for result in Result.allCases {
            _ = self.notifications.labels(result.rawValue)
        }
    }

    /// Counts one notification with `result`.
    public func record(_ result: Result, count: Int = 1) {
        self.notifications.labels(result.rawValue).increment(by: count)
    }
}
