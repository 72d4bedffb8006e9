import CoreMetrics
import Testing

@testable import KVMonitoring

@Suite struct KVMetricsFactoryTests {
    @Test func swiftMetricsHandlersLandInTheExposition() throws {
        let registry = MetricsRegistry()
        let factory = KVMetricsFactory(registry: registry)
        CoreMetrics.Counter(label: "jobs.processed", dimensions: [("queue", "default")], factory: factory).increment(by: 3)
        CoreMetrics.FloatingPointCounter(label: "jobs.processed", dimensions: [("queue", "default")], factory: factory)
            .increment(by: 0.5)
        CoreMetrics.Meter(label: "pool_connections", factory: factory).set(7)
        CoreMetrics.Gauge(label: "queue-depth", factory: factory).record(4)
        CoreMetrics.Timer(label: "job_duration", dimensions: [("b", "2"), ("a", "1")], factory: factory)
            .recordNanoseconds(2_000_000)
        CoreMetrics.Recorder(label: "batch_size", factory: factory).record(0.3)

        let text = PrometheusTextFormat.render(registry.snapshot())
        #expect(text.contains("# TYPE jobs_processed_total counter\njobs_processed_total{queue=\"default\"} 3.5\n"))
        #expect(text.contains("# TYPE pool_connections gauge\npool_connections 7\n"))
        #expect(text.contains("# TYPE queue_depth gauge\nqueue_depth 4\n"))
        #expect(text.contains("# TYPE job_duration_seconds histogram\n"))
        #expect(text.contains("job_duration_seconds_bucket{a=\"1\",b=\"2\",le=\"0.0025\"} 1\n"))
        #expect(text.contains("job_duration_seconds_bucket{a=\"1\",b=\"2\",le=\"0.001\"} 0\n"))
        #expect(text.contains("job_duration_seconds_sum{a=\"1\",b=\"2\"} 0.002\n"))
        #expect(text.contains("batch_size_count 1\n"))
    }

    @Test func conflictingShapeGetsANoOpHandlerInsteadOfCrashing() throws {
        let registry = MetricsRegistry()
        let factory = KVMetricsFactory(registry: registry)
        CoreMetrics.Counter(label: "hits", dimensions: [("a", "1")], factory: factory).increment()
        CoreMetrics.Counter(label: "hits", dimensions: [("b", "1")], factory: factory).increment(by: 10)
        CoreMetrics.Meter(label: "kvstore_http_requests_in_flight", factory: factory).set(1)
        _ = try registry.registerCounter(MetricDescriptor(name: "taken", help: "Registered first.", type: .counter))
        CoreMetrics.Meter(label: "taken", factory: factory).set(5)

        let snapshot = registry.snapshot()
        let hits = try #require(snapshot.first { $0.name == "hits_total" })
        #expect(hits.labelNames == ["a"])
        #expect(hits.samples.map(\.value) == [1])
        #expect(snapshot.first { $0.name == "taken" }?.samples.first?.value == 0)
    }

    @Test func worksAsTheTaskLocalFactory() throws {
        let registry = MetricsRegistry()
        withMetricsFactory(KVMetricsFactory(registry: registry)) {
            CoreMetrics.Counter(label: "task_local_events").increment()
        }
        let family = registry.snapshot().first { $0.name == "task_local_events_total" }
        #expect(family?.samples.first?.value == 1)
    }
}
