import KVSnapshot
import Testing

@testable import KVMonitoring

@Suite struct KVMetricNameTests {
    /// Every descriptor is named by `KVMetricName` (the dashboard and the alerts read by it) and
    /// every name has exactly one descriptor.
    @Test func descriptorsAndSharedNamesAreTheSameSet() {
        let described = KVMetrics.all.map(\.name) + [KVMetrics.alertNotificationsTotal.name]
        #expect(Set(described).count == described.count)
        #expect(described.sorted() == KVMetricName.allCases.map(\.rawValue).sorted())
        #expect(KVMetrics.httpRequestsTotal.name == "kvstore_http_requests_total")
        #expect(KVMetrics.httpRequestsTotal.labelNames.last == KVMetricLabel.code)
    }
}
