import Foundation
import KVTestSupport
import KVSnapshot
import Testing
@testable import KVDashboard

/// The status classes chart and the storage charts, from a hand-made three-snapshot archive
/// (15 s apart, no restart); every expected number is worked out in the comments.
@Suite struct StorageChartsTests {
    static func histogram(_ labels: [String: String], _ bounds: [Double], _ counts: [UInt64], sum: Double) -> MetricSample {
        MetricSample(labels: labels, buckets: zip(bounds, counts).map { HistogramBucket(upperBound: $0, cumulativeCount: $1) },
                     sum: sum, count: counts.last ?? 0)
    }

    /// Requests by code at t = 0, 15, 30: 200 100/250/400, 201 0/30/30, 304 10/25/55, 404 0/15/45,
    /// 500 0/0/15, 503 0/0/15. Operations: get 0/300/450, put 0/60/90, commit 0/30/60. Commit
    /// batches: sum 0/60/90 over count 0/30/60. Durations (le 0.001, 0.01, +Inf): put 0,0,0 /
    /// 50,100,100 / 50,110,120; commit 0,0,0 / 0,30,30 / 30,60,60.
    static func snapshots() -> [Snapshot] {
        let codes: [(String, [Double])] = [("200", [100, 250, 400]), ("201", [0, 30, 30]), ("304", [10, 25, 55]),
                                           ("404", [0, 15, 45]), ("500", [0, 0, 15]), ("503", [0, 0, 15])]
        let operations: [(String, [Double])] = [("get", [0, 300, 450]), ("put", [0, 60, 90]), ("commit", [0, 30, 60])]
        let batchSum: [Double] = [0, 60, 90]
        let batchCount: [UInt64] = [0, 30, 60]
        let put: [[UInt64]] = [[0, 0, 0], [50, 100, 100], [50, 110, 120]]
        let commit: [[UInt64]] = [[0, 0, 0], [0, 30, 30], [30, 60, 60]]
        let bounds = [0.001, 0.01, .infinity]
        return (0..<3).map { step in
            var snapshot = Fixture.snapshot(offset: 15 * Double(step), uptime: 600 + 15 * Double(step), sequence: UInt64(step + 1))
            snapshot.metrics.removeAll { $0.name == "kvstore_http_requests_total" }
            snapshot.metrics += [
                MetricFamilySnapshot(name: "kvstore_http_requests_total", help: "requests", type: .counter,
                                     labelNames: ["method", "route", "code"], samples: codes.map {
                                         MetricSample(labels: ["method": "GET", "route": "/x", "code": $0.0], value: $0.1[step])
                                     }),
                MetricFamilySnapshot(name: "kvstore_storage_operations_total", help: "ops", type: .counter, labelNames: ["op"],
                                     samples: operations.map { MetricSample(labels: ["op": $0.0], value: $0.1[step]) }),
                MetricFamilySnapshot(name: "kvstore_storage_commit_batch_size", help: "batch", type: .histogram,
                                     samples: [histogram([:], [1, 2, .infinity], [0, batchCount[step], batchCount[step]], sum: batchSum[step])]),
                MetricFamilySnapshot(name: "kvstore_storage_operation_duration_seconds", help: "duration", type: .histogram,
                                     unit: "seconds", labelNames: ["op"], samples: [
                                         histogram(["op": "put"], bounds, put[step], sum: 1),
                                         histogram(["op": "commit"], bounds, commit[step], sum: 1),
                                     ]),
            ]
            return snapshot
        }
    }

    func charts() -> DashboardCharts {
        let store = SeriesStore(snapshots: Self.snapshots())
        return DashboardCharts(points: store.points, checkNames: store.checkNames, from: Fixture.start, to: Fixture.start + 30,
                               localTime: LocalTime(timeZone: TimeZone(identifier: "UTC")!), typicalInterval: store.typicalInterval)
    }

    func summary(_ id: String) -> String? {
        let charts = charts()
        guard let chart = charts.lineCharts.first(where: { $0.id == id }) else { return nil }
        let text = chart.description(for: charts.timeline)
        return text.range(of: "). ").map { String(text[$0.upperBound...]) }
    }

    /// 2xx: (150 + 30) / 15 = 12, then 150 / 15 = 10; 3xx 15/15 = 1 then 30/15 = 2; 4xx the same;
    /// 5xx 0 then 30/15 = 2. Stacked, the top line (5xx) is 12+1+1+0 = 14, then 10+2+2+2 = 16.
    @Test func statusClassesAreRatesPerClassStackedInOrder() throws {
        #expect(summary("status-classes") == "2xx: latest 10.0 req/s, lowest 10.0 req/s, highest 12.0 req/s."
            + " 3xx: latest 2.00 req/s, lowest 1.00 req/s, highest 2.00 req/s."
            + " 4xx: latest 2.00 req/s, lowest 1.00 req/s, highest 2.00 req/s."
            + " 5xx: latest 2.00 req/s, lowest 0 req/s, highest 2.00 req/s.")
        let chart = try #require(charts().lineCharts.first { $0.id == "status-classes" })
        #expect(chart.stacked)
        #expect(chart.drawnLines.map(\.name) == ["2xx", "3xx", "4xx", "5xx"])
        #expect(chart.drawnLines.map { Array($0.values.dropFirst()) } == [[12, 10], [13, 12], [14, 14], [14, 16]])
        #expect(chart.drawnLines.allSatisfy { $0.values[0].isNaN })
    }

    /// get 300/15 = 20 then 150/15 = 10; put 4 then 2; commit 2 then 2. Batch mean 60/30 = 2, then
    /// 30/30 = 1. p99: put 0.001 + (99 − 50)/50 × 0.009 = 9.82 ms, then rank 19.8 of 20 falls in
    /// +Inf: the highest finite bound, 10 ms; commit 0.001 + 29.7/30 × 0.009 = 9.91 ms, then
    /// 29.7/30 × 0.001 = 0.990 ms.
    @Test func storageChartsShowOperationRatesBatchSizeAndP99() {
        #expect(summary("storage-operations") == "commit: latest 2.00 ops/s, lowest 2.00 ops/s, highest 2.00 ops/s."
            + " get: latest 10.0 ops/s, lowest 10.0 ops/s, highest 20.0 ops/s."
            + " put: latest 2.00 ops/s, lowest 2.00 ops/s, highest 4.00 ops/s.")
        #expect(summary("commit-batch") == "writes per commit: latest 1.00 writes, lowest 1.00 writes, highest 2.00 writes.")
        #expect(summary("storage-latency") == "put p99: latest 10.0 ms, lowest 9.82 ms, highest 10.0 ms."
            + " commit p99: latest 0.990 ms, lowest 0.990 ms, highest 9.91 ms.")
    }

    @Test func aPageWithTheNewChartsIsWellFormed() throws {
        let generator = DashboardGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder),
                                           options: DashboardOptions())
        let site = try generator.render(snapshots: Self.snapshots(), now: Date(timeIntervalSince1970: Fixture.start + 31))
        try XMLWellFormedness.check(site)
        for id in ["status-classes", "storage-operations", "commit-batch", "storage-latency"] {
            #expect(site.files["charts/\(id).svg"] != nil, "\(id)")
            #expect(site.page.contains("<desc id=\"\(id)-desc\">"), "\(id)")
            #expect(site.page.contains("id=\"figure-\(id)\""), "\(id)")
        }
    }
}
