import Foundation
import KVSnapshot
import KVConfiguration
import KVMonitoring
import Logging

/// Builds the alert engine (nil when `alerts.enabled` is false) and its webhook notifier (nil without webhooks).
func makeAlerting(configuration: KVStoreConfiguration, metrics: ServerMetrics?, logger: Logger) throws -> (engine: AlertEngine?, notifier: AlertNotifier?) {
    let alerts = configuration.alerts
    guard alerts.enabled else { return (nil, nil) }
    var notifier: AlertNotifier?
    if !alerts.webhooks.isEmpty {
        let alertMetrics = try metrics.map { try AlertMetrics(registry: $0.registry) }
        notifier = AlertNotifier(
            targets: alerts.webhooks.map { .init(url: $0.url, timeout: .milliseconds(Int64($0.timeoutSeconds * 1000)), maxRetries: $0.maxRetries) },
            metrics: alertMetrics, logger: logger
        ) { url, body, timeout in
            try await TinyHTTPClient.request("POST", url, body: body, timeout: timeout, headers: [
                ("traceparent", TraceContext().outgoingTraceparent), ("User-Agent", "kvstore/\(KVStoreVersion.version) alerts"),
            ])
        }
    }
    let rules = alerts.rules.map(AlertRule.init)
    let host = configuration.server.host.contains(":") ? "[\(configuration.server.host)]" : configuration.server.host
    let engine = AlertEngine(rules: rules, notifier: notifier, externalURL: "http://\(host):\(configuration.server.port)", logger: logger)
    return (engine, notifier)
}
