import Foundation
import KVSnapshot
import KVTestSupport
import Testing
@testable import KVDashboard

/// The shared table of resets, restarts and gaps through the dashboard: the same rows as
/// `KVSnapshotTests.SeriesMathTests` and `KVMonitoringTests.AlertHistoryTableTests`.
@Suite struct IncreaseTableTests {
    static func snapshots(_ row: IncreaseCase) -> [Snapshot] {
        row.samples.map { sample in
            var snapshot = Fixture.snapshot(offset: sample.time, uptime: sample.uptime)
            snapshot.metrics = sample.metrics
            return snapshot
        }
    }

    @Test(arguments: IncreaseCase.all)
    func seriesStoreComputesTheTablesIncreasesAndRates(row: IncreaseCase) {
        let points = Array(SeriesStore(snapshots: Self.snapshots(row)).points)
        #expect(points.count == row.samples.count)
        #expect(points[0].requestIncrease.isNaN && points[0].requestRate.isNaN)
        for (point, expected) in zip(points.dropFirst(), row.stepIncreases) {
            #expect(nearlyEqual(point.requestIncrease, expected))
        }
        for (point, expected) in zip(points.dropFirst(), row.stepRates) {
            if let expected {
                #expect(nearlyEqual(point.requestRate, expected))
            } else {
                #expect(point.requestRate.isNaN)
            }
        }
    }

    @Test(arguments: IncreaseCase.all)
    func windowSummaryComputesTheTablesIncreaseAndRate(row: IncreaseCase) throws {
        let summary = WindowSummary(snapshots: Self.snapshots(row))
        #expect(nearlyEqual(summary.requests, row.increase))
        #expect(nearlyEqual(try #require(summary.requestRate), row.rate))
        if let latency = row.latencyIncrease {
            let buckets = zip(IncreaseCase.bounds, latency).map { HistogramQuantile.Bucket(upperBound: $0, count: $1) }
            #expect(summary.p99Seconds == HistogramQuantile.quantile(0.99, buckets: buckets))
            #expect(summary.p50Seconds == HistogramQuantile.quantile(0.5, buckets: buckets))
        }
    }

    /// docs/dashboard.md: the error ratio counts series with a `5xx` code; a code that is not
    /// three digits (here "5") is not one, although it starts with 5.
    @Test func errorRatioCountsOnlyThreeDigit5xxCodes() {
        let store = SeriesStore(snapshots: [
            Fixture.snapshot(offset: 0, uptime: 100, requests: [("200", 0), ("503", 0), ("5", 0)]),
            Fixture.snapshot(offset: 15, uptime: 115, requests: [("200", 10), ("503", 5), ("5", 5)]),
        ])
        #expect(store.points.last?.errorRatio == 0.25)
    }

    /// docs/dashboard.md: a restart is the uptime going backwards; another node id with a growing
    /// uptime is not one (the dashboard shows one node's archive).
    @Test func onlyUptimeGoingBackwardsIsARestart() {
        let store = SeriesStore(snapshots: [
            Fixture.snapshot(offset: 0, uptime: 100, node: "node-1", requests: [("200", 100)]),
            Fixture.snapshot(offset: 15, uptime: 115, node: "node-2", requests: [("200", 130)]),
        ])
        #expect(store.points.map(\.startsSegment) == [false, false])
        #expect(store.points.last?.requestRate == 2)
    }
}
