import Testing

@testable import KVMonitoring

@Suite struct MetricsRegistryTests {
    let descriptor = MetricDescriptor(name: "test_events_total", help: "Events.", type: .counter, labelNames: ["kind"])

    @Test func registeringTheSameDescriptorTwiceReturnsTheSameFamily() throws {
        let registry = MetricsRegistry()
        let first = try registry.registerCounter(self.descriptor)
        let second = try registry.registerCounter(self.descriptor)
        #expect(first === second)
        first.labels("a").increment()
        #expect(second.labels("a").value == 1)
    }

    @Test func registeringANameWithDifferentHelpTypeOrLabelsThrows() throws {
        let registry = MetricsRegistry()
        _ = try registry.registerCounter(self.descriptor)
        let otherHelp = MetricDescriptor(name: "test_events_total", help: "Other.", type: .counter, labelNames: ["kind"])
        let otherLabels = MetricDescriptor(name: "test_events_total", help: "Events.", type: .counter, labelNames: ["type"])
        let otherType = MetricDescriptor(name: "test_events_total", help: "Events.", type: .gauge, labelNames: ["kind"])
        #expect(registryErrorCode { try registry.registerCounter(otherHelp) } == .conflictingRegistration)
        #expect(registryErrorCode { try registry.registerCounter(otherLabels) } == .conflictingRegistration)
        #expect(registryErrorCode { try registry.registerGauge(otherType) } == .conflictingRegistration)
    }

    @Test func registeringAHistogramWithOtherBucketsThrows() throws {
        let registry = MetricsRegistry()
        _ = try registry.registerHistogram(KVMetrics.requestDurationSeconds)
        #expect(registryErrorCode {
            try registry.registerHistogram(KVMetrics.requestDurationSeconds, buckets: [1, 2])
        } == .conflictingRegistration)
        _ = try registry.registerHistogram(KVMetrics.requestDurationSeconds, buckets: HistogramFamily.defaultDurationBuckets)
    }

    @Test func invalidDeclarationsThrowInsteadOfTrapping() {
        let registry = MetricsRegistry()
        #expect(registryErrorCode { try registry.registerGauge(self.descriptor) } == .typeMismatch)
        #expect(registryErrorCode {
            try registry.registerGauge(MetricDescriptor(name: "9lives", help: "x", type: .gauge))
        } == .invalidName)
        #expect(registryErrorCode {
            try registry.registerHistogram(MetricDescriptor(name: "test_h", help: "x", type: .histogram, labelNames: ["le"]))
        } == .invalidLabelName)
        #expect(registryErrorCode {
            try registry.registerGauge(MetricDescriptor(name: "test_g", help: "x", type: .gauge, labelNames: ["a", "a"]))
        } == .invalidLabelName)
        #expect(registryErrorCode {
            try registry.registerHistogram(MetricDescriptor(name: "test_h", help: "x", type: .histogram), buckets: [2, 1])
        } == .invalidBuckets)
        #expect(registryErrorCode {
            try registry.registerSummary(MetricDescriptor(name: "test_s", help: "x", type: .summary), quantiles: [1.5])
        } == .invalidQuantiles)
    }

    @Test func everyServerDescriptorRegisters() throws {
        let registry = MetricsRegistry()
        for descriptor in KVMetrics.all {
            switch descriptor.type {
            case .counter: _ = try registry.registerCounter(descriptor)
            case .gauge: _ = try registry.registerGauge(descriptor)
            case .histogram: _ = try registry.registerHistogram(descriptor)
            case .summary: _ = try registry.registerSummary(descriptor)
            }
        }
        #expect(registry.snapshot().map(\.name) == KVMetrics.all.map(\.name))
    }

    @Test func seriesBeyondTheCapGoToOneOverflowSeriesAndAreCounted() throws {
        let registry = MetricsRegistry(maxSeriesPerFamily: 1000)
        let family = try registry.registerCounter(self.descriptor)
        for index in 0..<1000 {
            family.labels("kind-\(index)").increment()
        }
        for index in 0..<250 {
            family.labels("extra-\(index)").increment(by: 2)
        }
        family.labels("kind-7").increment()
        family.labels("extra-0").increment()

        let snapshot = registry.snapshot()
        let events = try #require(snapshot.first { $0.name == "test_events_total" })
        #expect(events.samples.count == 1001)
        let overflow = try #require(events.samples.first { $0.labels["kind"] == "__overflow__" })
        #expect(overflow.value == 501)
        #expect(events.samples.first { $0.labels["kind"] == "kind-7" }?.value == 2)

        let dropped = try #require(snapshot.first { $0.name == "kvstore_metrics_series_dropped_total" })
        #expect(dropped.samples.first { $0.labels["family"] == "test_events_total" }?.value == 251)
    }

    @Test func lookupWithTheWrongNumberOfLabelValuesRecordsIntoOverflow() throws {
        let registry = MetricsRegistry()
        let family = try registry.registerCounter(self.descriptor)
        family.labels("a", "b").increment()
        family.labels().increment()
        let snapshot = registry.snapshot()
        let events = try #require(snapshot.first { $0.name == "test_events_total" })
        #expect(events.samples.map(\.labels) == [["kind": "__overflow__"]])
        #expect(events.samples.first?.value == 2)
        let dropped = try #require(snapshot.first { $0.name == "kvstore_metrics_series_dropped_total" })
        #expect(dropped.samples.first { $0.labels["family"] == "test_events_total" }?.value == 2)
    }

    @Test func snapshotIsSortedByNameThenLabelValues() throws {
        let registry = MetricsRegistry()
        let gauge = try registry.registerGauge(MetricDescriptor(name: "test_b", help: "b", type: .gauge, labelNames: ["x", "y"]))
        _ = try registry.registerGauge(MetricDescriptor(name: "test_a", help: "a", type: .gauge))
        gauge.labels("2", "a").set(1)
        gauge.labels("1", "b").set(2)
        gauge.labels("1", "a").set(3)
        let snapshot = registry.snapshot()
        #expect(snapshot.map(\.name) == ["kvstore_metrics_series_dropped_total", "test_a", "test_b"])
        #expect(snapshot[2].samples.map(\.value) == [3, 2, 1])
        #expect(snapshot[1].samples.map(\.value) == [0])
    }

    @Test func collectorsRunBeforeEachSnapshot() throws {
        let registry = MetricsRegistry()
        let gauge = try registry.registerGauge(MetricDescriptor(name: "test_refreshed", help: "r", type: .gauge)).labels()
        registry.addCollector { gauge.increment() }
        _ = registry.snapshot()
        let value = registry.snapshot().first { $0.name == "test_refreshed" }?.samples.first?.value
        #expect(value == 2)
    }

    @Test func countersIgnoreNegativeIncrementsAndMixIntegerAndFractionalParts() throws {
        let counter = try MetricsRegistry().registerCounter(self.descriptor).labels("a")
        counter.increment(by: 2)
        counter.increment(by: 0.5)
        counter.increment(by: -5)
        counter.increment(by: -1.5)
        counter.increment(by: Double.nan)
        #expect(counter.value == 2.5)
    }
}

/// The code of the registry error `body` throws, or nil if it returns.
func registryErrorCode<T>(_ body: () throws -> T) -> MetricsRegistryError.Code? {
    do {
        _ = try body()
        return nil
    } catch {
        return (error as? MetricsRegistryError)?.code
    }
}

@Suite struct MetricsRegistryErrorTests {
    @Test func aRealRegistrationErrorIsMatchedByCodeAndKeepsItsLogLine() throws {
        let registry = MetricsRegistry()
        let error = #expect(throws: MetricsRegistryError.self) {
            try registry.registerGauge(MetricDescriptor(name: "9lives", help: "x", type: .gauge))
        }
        #expect(error?.code == .invalidName)
        #expect(error?.code != .invalidLabelName)
        #expect(error?.metricName == "9lives")
        #expect(error?.description == "MetricsRegistryError.invalidName for 9lives: not a valid metric name")
    }
}
