import Foundation
import Testing
@testable import KVMonitoring
import KVSnapshot

/// `OpenMetricsExport`: snapshots in, one OpenMetrics exposition with timestamps out, every family in
/// one piece and every series' points together in time order (the bytes, exactly).
@Suite struct OpenMetricsExportTests {
    static func snapshot(_ sequence: UInt64, at time: String, node: String = "kv-1", requests: Double, memory: Double,
                         fast: UInt64, total: UInt64) -> Snapshot {
        Snapshot(sequence: sequence, nodeID: node, time: Date(snapshotTime: time), version: "1.2.3", uptimeSeconds: 60,
                 health: AlertFixtures.health(), metrics: [
                     MetricFamilySnapshot(name: "kvstore_http_requests_total", help: "Requests \"answered\".", type: .counter,
                                          labelNames: ["code"], samples: [
                                              MetricSample(labels: ["code": "200"], value: requests),
                                              MetricSample(labels: ["code": "500"], value: 1),
                                          ]),
                     MetricFamilySnapshot(name: "process_resident_memory_bytes", help: "RSS.", type: .gauge,
                                          samples: [MetricSample(value: memory)]),
                     MetricFamilySnapshot(name: "kvstore_request_duration_seconds", help: "Latency.", type: .histogram,
                                          unit: "seconds", samples: [
                                              MetricSample(buckets: [HistogramBucket(upperBound: 0.01, cumulativeCount: fast),
                                                                     HistogramBucket(upperBound: .infinity, cumulativeCount: total)],
                                                           sum: 0.5, count: total),
                                          ]),
                     MetricFamilySnapshot(name: "bad-name", help: "", type: .gauge, samples: [MetricSample(value: 1)]),
                 ], storage: nil, alerts: [])
    }

    func exported(_ snapshots: [Snapshot]) throws -> (String, OpenMetricsExport) {
        let export = try OpenMetricsExport()
        for snapshot in snapshots { try export.add(snapshot) }
        let path = NSTemporaryDirectory() + "export-\(UUID().uuidString).om"
        defer { unlink(path) }
        let file = try #require(fopen(path, "w"))
        try export.write(to: file)
        fclose(file)
        return (try String(contentsOfFile: path, encoding: .utf8), export)
    }

    @Test func everyFamilyInOnePieceAndEverySeriesInTimeOrder() throws {
        let (text, export) = try exported([
            Self.snapshot(1, at: "2027-01-15T08:00:00.000Z", requests: 10, memory: 1_000, fast: 3, total: 4),
            Self.snapshot(2, at: "2027-01-15T08:00:15.250Z", requests: 25, memory: 1_500.5, fast: 5, total: 9),
            // Not after the node's previous snapshot (its clock went back): left out.
            Self.snapshot(3, at: "2027-01-15T08:00:10.000Z", requests: 99, memory: 9, fast: 9, total: 9),
        ])
        #expect(text == """
            # HELP kvstore_http_requests Requests \\"answered\\".
            # TYPE kvstore_http_requests counter
            kvstore_http_requests_total{code="200",node="kv-1"} 10.0 1800000000.000
            kvstore_http_requests_total{code="200",node="kv-1"} 25.0 1800000015.250
            kvstore_http_requests_total{code="500",node="kv-1"} 1.0 1800000000.000
            kvstore_http_requests_total{code="500",node="kv-1"} 1.0 1800000015.250
            # HELP kvstore_request_duration_seconds Latency.
            # TYPE kvstore_request_duration_seconds histogram
            # UNIT kvstore_request_duration_seconds seconds
            kvstore_request_duration_seconds_bucket{node="kv-1",le="0.01"} 3 1800000000.000
            kvstore_request_duration_seconds_bucket{node="kv-1",le="+Inf"} 4 1800000000.000
            kvstore_request_duration_seconds_sum{node="kv-1"} 0.5 1800000000.000
            kvstore_request_duration_seconds_count{node="kv-1"} 4 1800000000.000
            kvstore_request_duration_seconds_bucket{node="kv-1",le="0.01"} 5 1800000015.250
            kvstore_request_duration_seconds_bucket{node="kv-1",le="+Inf"} 9 1800000015.250
            kvstore_request_duration_seconds_sum{node="kv-1"} 0.5 1800000015.250
            kvstore_request_duration_seconds_count{node="kv-1"} 9 1800000015.250
            # HELP process_resident_memory_bytes RSS.
            # TYPE process_resident_memory_bytes gauge
            process_resident_memory_bytes{node="kv-1"} 1000.0 1800000000.000
            process_resident_memory_bytes{node="kv-1"} 1500.5 1800000015.250
            # EOF

            """)
        #expect(export.snapshots == 2 && export.skippedSnapshots == 1)
        #expect(export.skippedFamilies == ["bad-name"])
    }

    @Test func aCountingSeriesThatAppearsStartsAtZeroAtTheNodesPreviousSnapshot() throws {
        var later = Self.snapshot(2, at: "2027-01-15T08:00:15.000Z", requests: 25, memory: 2, fast: 5, total: 9)
        later.metrics[0].samples.append(MetricSample(labels: ["code": "503"], value: 7))
        later.metrics.append(MetricFamilySnapshot(name: "kvstore_free_bytes", help: "Free.", type: .gauge, samples: [MetricSample(value: 5)]))
        let (text, export) = try exported([
            Self.snapshot(1, at: "2027-01-15T08:00:00.000Z", requests: 10, memory: 1, fast: 3, total: 4), later,
        ])
        let lines = text.split(separator: "\n").map(String.init)
        // The new counter series: a zero at the first snapshot's time, then its value; the new gauge: its value alone.
        #expect(lines.filter { $0.contains("code=\"503\"") } == [
            "kvstore_http_requests_total{code=\"503\",node=\"kv-1\"} 0.0 1800000000.000",
            "kvstore_http_requests_total{code=\"503\",node=\"kv-1\"} 7.0 1800000015.000",
        ])
        #expect(lines.filter { $0.hasPrefix("kvstore_free_bytes{") } == ["kvstore_free_bytes{node=\"kv-1\"} 5.0 1800000015.000"])
        #expect(export.points == 2 * 4 + 2 + 1, "four series in both, the new counter twice, the new gauge once")
    }

    @Test func aCountingSeriesBackAfterAnAbsenceIsZeroWhereItWasAbsent() throws {
        var gone = Self.snapshot(2, at: "2027-01-15T08:00:15.000Z", requests: 2, memory: 1, fast: 1, total: 1)
        gone.metrics[0].samples.removeLast() // code 500 absent: the process restarted and has not failed yet
        let (text, _) = try exported([
            Self.snapshot(1, at: "2027-01-15T08:00:00.000Z", requests: 10, memory: 1, fast: 3, total: 4), gone,
            Self.snapshot(3, at: "2027-01-15T08:00:30.000Z", requests: 5, memory: 1, fast: 1, total: 1),
        ])
        #expect(text.split(separator: "\n").filter { $0.contains("code=\"500\"") } == [
            "kvstore_http_requests_total{code=\"500\",node=\"kv-1\"} 1.0 1800000000.000",
            "kvstore_http_requests_total{code=\"500\",node=\"kv-1\"} 0.0 1800000015.000",
            "kvstore_http_requests_total{code=\"500\",node=\"kv-1\"} 1.0 1800000030.000",
        ])
    }

    @Test func twoNodesAreTwoSeriesEach() throws {
        let (text, _) = try exported([
            Self.snapshot(1, at: "2027-01-15T08:00:00.000Z", node: "kv-1", requests: 10, memory: 1, fast: 1, total: 1),
            Self.snapshot(1, at: "2027-01-15T08:00:01.000Z", node: "kv-2", requests: 20, memory: 2, fast: 1, total: 1),
            Self.snapshot(2, at: "2027-01-15T08:00:15.000Z", node: "kv-1", requests: 30, memory: 3, fast: 1, total: 1),
        ])
        let memory = text.split(separator: "\n").filter { $0.hasPrefix("process_resident_memory_bytes{") }
        #expect(memory == [
            "process_resident_memory_bytes{node=\"kv-1\"} 1.0 1800000000.000",
            "process_resident_memory_bytes{node=\"kv-1\"} 3.0 1800000015.000",
            "process_resident_memory_bytes{node=\"kv-2\"} 2.0 1800000001.000",
        ])
    }
}
