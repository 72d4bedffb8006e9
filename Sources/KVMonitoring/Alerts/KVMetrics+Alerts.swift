import KVSnapshot

extension KVMetrics {
    /// Webhook notifications by result: `sent`, `failed` (after every retry) or `dropped` (queue full).
    public static let alertNotificationsTotal = MetricDescriptor(
        name: .alertNotificationsTotal,
        help: "Alert webhook notifications, by result: sent, failed after all retries, or dropped because the queue was full.",
        type: .counter,
        labelNames: ["result"]
    )
}
