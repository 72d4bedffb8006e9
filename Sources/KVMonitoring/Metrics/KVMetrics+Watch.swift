import KVSnapshot

extension KVMetrics {
    /// Long polls waiting and event streams open (`GET /api/v1/watch`).
    public static let watchers = MetricDescriptor(
        name: .watchers,
        help: "Watches open: long polls waiting for a change and event streams.",
        type: .gauge
    )
    /// Events sent to watchers, by how (`poll` answers, `stream` events).
    public static let watchEventsTotal = MetricDescriptor(
        name: .watchEventsTotal,
        help: "Change events sent to watchers, by delivery: poll (in a long-poll answer) or stream (server-sent events).",
        type: .counter,
        labelNames: ["delivery"]
    )
}
