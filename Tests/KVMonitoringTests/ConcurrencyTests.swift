import Testing

@testable import KVMonitoring

@Suite struct ConcurrencyTests {
    @Test func manyTasksRecordExactTotalsOnOneCounterAndOneHistogram() async throws {
        let registry = MetricsRegistry()
        let counter = try registry.registerCounter(KVMetrics.httpRequestsTotal)
        let histogram = try registry.registerHistogram(KVMetrics.storageOperationDurationSeconds, buckets: [0.25, 0.5, 0.75])
        let tasks = 8
        let iterations = 100_000
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    // Look-ups race too; recording goes through the cached handles.
                    let requests = counter.labels("GET", "/api/v1/kv/{key}", "200")
                    let durations = histogram.labels("get")
                    for index in 0..<iterations {
                        requests.increment()
                        durations.observe(Double(index % 4 + 1) * 0.25)
                    }
                }
            }
        }
        let total = tasks * iterations
        #expect(counter.labels("GET", "/api/v1/kv/{key}", "200").value == Double(total))
        let state = histogram.labels("get").state
        #expect(state.count == UInt64(total))
        #expect(state.cumulativeCounts == [1, 2, 3, 4].map { UInt64(total / 4 * $0) })
        // Each task adds 25,000 × (0.25 + 0.5 + 0.75 + 1.0); every partial sum is exact in binary.
        #expect(state.sum == Double(tasks) * 25_000 * 2.5)
    }

    @Test func concurrentLookupsOfNewSeriesCreateEachOnce() async throws {
        let registry = MetricsRegistry(maxSeriesPerFamily: 100)
        let family = try registry.registerCounter(KVMetrics.storageOperationsTotal)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for index in 0..<150 {
                        family.labels("op-\(index)").increment()
                    }
                }
            }
        }
        let snapshot = registry.snapshot()
        let samples = try #require(snapshot.first { $0.name == KVMetrics.storageOperationsTotal.name }).samples
        #expect(samples.count == 101)
        #expect(samples.reduce(0) { $0 + ($1.value ?? 0) } == 600)
        let dropped = try #require(snapshot.first { $0.name == KVMetrics.metricsSeriesDroppedTotal.name })
        #expect(dropped.samples.first { $0.labels["family"] == KVMetrics.storageOperationsTotal.name }?.value == 200)
    }
}
