import KVSnapshot
import KVTestSupport
@testable import KVMonitoring

/// A registry holding one family of every type, with awkward help texts, label values and values.
enum ExpositionFixtures {
    static let counter = MetricDescriptor(
        name: "test_requests_total",
        help: #"Requests with \ backslash"# + "\nand newline " + #""quoted"."#,
        type: .counter,
        labelNames: ["path"]
    )
    static let gauge = MetricDescriptor(name: "test_value", help: "Odd values.", type: .gauge, labelNames: ["kind"])
    static let plainGauge = MetricDescriptor(name: "test_temperature_celsius", help: "No labels.", type: .gauge, unit: "celsius")
    static let histogram = MetricDescriptor(
        name: "test_latency_seconds",
        help: "Latency.",
        type: .histogram,
        labelNames: ["route"],
        unit: "seconds"
    )
    static let summary = MetricDescriptor(name: "test_job_seconds", help: "Job time.", type: .summary, labelNames: ["job"], unit: "seconds")

    /// Families named `test_*`, filled with known values.
    static func families() throws -> [MetricFamilySnapshot] {
        try registry().snapshot().filter { $0.name.hasPrefix("test_") }
    }

    /// The registry behind ``families()``.
    static func registry(maxSeriesPerFamily: Int = MetricsRegistry.defaultMaxSeriesPerFamily) throws -> MetricsRegistry {
        let clock = ManualClock()
        let registry = MetricsRegistry(maxSeriesPerFamily: maxSeriesPerFamily, now: clock.seconds)
        try registry.registerCounter(self.counter).labels(#"a\b"c"# + "\nd").increment(by: 3)

        let gauge = try registry.registerGauge(self.gauge)
        gauge.labels("nan").set(.nan)
        gauge.labels("inf").set(.infinity)
        gauge.labels("neg").set(-.infinity)
        gauge.labels("small").set(0.000001)
        gauge.labels("large").set(1.5e20)
        try registry.registerGauge(self.plainGauge).labels().set(21.5)

        let histogram = try registry.registerHistogram(self.histogram, buckets: [0.5, 1, 2.5]).labels("/a")
        for value in [0.25, 1, 3] {
            histogram.observe(value)
        }

        let summary = try registry.registerSummary(self.summary, quantiles: [0.5, 0.9])
        _ = summary.labels("empty")
        for value in 1...10 {
            summary.labels("ten").observe(Double(value))
        }
        return registry
    }
}
