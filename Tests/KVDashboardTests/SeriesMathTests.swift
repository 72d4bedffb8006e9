import Foundation
import KVSnapshot
import Testing
@testable import KVDashboard

@Suite struct SeriesMathTests {
    typealias B = HistogramQuantile.Bucket
    let buckets = [B(upperBound: 0.1, count: 10), B(upperBound: 0.5, count: 60), B(upperBound: 1, count: 90),
                   B(upperBound: .infinity, count: 100)]

    @Test(arguments: [(0.5, 0.42), (0.05, 0.05), (0.9, 1.0), (0.95, 1.0), (0.99, 1.0), (0.1, 0.1), (0.7, 0.5 + 0.5 * 10 / 30)])
    func quantileInterpolatesInsideTheBucketLikePrometheus(q: Double, expected: Double) {
        #expect(abs(HistogramQuantile.quantile(q, buckets: buckets) - expected) < 1e-12)
    }

    @Test func quantileIsNaNWithoutObservationsOrInfBucket() {
        #expect(HistogramQuantile.quantile(0.5, buckets: [B(upperBound: 1, count: 0), B(upperBound: .infinity, count: 0)]).isNaN)
        #expect(HistogramQuantile.quantile(0.5, buckets: [B(upperBound: 1, count: 5), B(upperBound: 2, count: 9)]).isNaN)
        #expect(HistogramQuantile.quantile(0.5, buckets: [B(upperBound: .infinity, count: 9)]).isNaN)
    }

    @Test func quantileOrdersBucketsAndRepairsNonMonotonicCounts() {
        let shuffled = [B(upperBound: .infinity, count: 100), B(upperBound: 0.5, count: 60), B(upperBound: 0.1, count: 10),
                        B(upperBound: 1, count: 50)]
        // The 1.0 bucket is raised to 60, so rank 90 falls in +Inf → highest finite bound.
        #expect(HistogramQuantile.quantile(0.9, buckets: shuffled) == 1)
        #expect(abs(HistogramQuantile.quantile(0.5, buckets: shuffled) - 0.42) < 1e-12)
    }

    /// t0: 100 ok + 0 errors; +15 s: 250 + 30; restart at +30 s (uptime 10 s): 40 + 5; +45 s: 100 + 5; +600 s: gap.
    func restartAndGapStore() -> SeriesStore {
        SeriesStore(snapshots: [
            Fixture.snapshot(offset: 0, uptime: 100, requests: [("200", 100), ("500", 0)]),
            Fixture.snapshot(offset: 15, uptime: 115, requests: [("200", 250), ("500", 30)]),
            Fixture.snapshot(offset: 30, uptime: 10, requests: [("200", 40), ("500", 5)]),
            Fixture.snapshot(offset: 45, uptime: 25, requests: [("200", 100), ("500", 5)]),
            Fixture.snapshot(offset: 600, uptime: 580, requests: [("200", 1000), ("500", 5)]),
        ])
    }

    @Test func ratesComeFromCounterDeltasAndResetsAreNotNegative() {
        let points = Array(restartAndGapStore().points)
        #expect(points.count == 5)
        #expect(points[0].requestRate.isNaN)
        #expect(points[1].requestRate == 12) // 180 / 15
        #expect(abs(points[1].errorRatio - 30.0 / 180) < 1e-12)
        #expect(points[2].requestRate == 4.5) // reset: 45 new requests over the 10 s of uptime
        #expect(abs(points[2].errorRatio - 5.0 / 45) < 1e-12)
        #expect(points[3].requestRate == 4) // 60 / 15
        #expect(points[3].errorRatio == 0)
        #expect(points.allSatisfy { $0.requestRate.isNaN || $0.requestRate >= 0 })
    }

    @Test func restartsAndLongSilencesBreakTheLine() {
        let points = Array(restartAndGapStore().points)
        #expect(points.map(\.startsSegment) == [false, false, true, false, true])
        #expect(points[4].requestRate.isNaN) // no average over the silence
        #expect(restartAndGapStore().typicalInterval == 15)
    }

    @Test func uptimeGoingBackwardsWithHigherCountersStillCountsFromZero() {
        let store = SeriesStore(snapshots: [
            Fixture.snapshot(offset: 0, uptime: 500, requests: [("200", 10)]),
            Fixture.snapshot(offset: 15, uptime: 15, requests: [("200", 30)]),
        ])
        #expect(store.points.last?.requestRate == 2) // 30 since the restart, over 15 s
    }

    @Test func latencyQuantilesComeFromBucketIncreases() {
        // Before: 10/60/90/100; after: 20/120/150/170 → increases 10/60/60/70.
        let store = SeriesStore(snapshots: [
            Fixture.snapshot(offset: 0, uptime: 100, latency: [(0.1, 10), (0.5, 60), (1, 90), (.infinity, 100)]),
            Fixture.snapshot(offset: 15, uptime: 115, latency: [(0.1, 20), (0.5, 120), (1, 150), (.infinity, 170)]),
        ])
        let point = store.points.last!
        // p50: rank 35 in (0.1, 0.5] holding 50 → 0.1 + 0.4 × 25/50 = 0.3.
        #expect(abs(point.latencyP50 - 0.3) < 1e-12)
        // p95: rank 66.5 > 60 → +Inf bucket → highest finite bound 1.
        #expect(point.latencyP95 == 1)
        #expect(point.latencyP99 == 1)
        #expect(store.points.first!.latencyP99.isNaN)
    }

    @Test func gaugesAreTakenAsTheyAre() {
        let store = SeriesStore(snapshots: [Fixture.snapshot(offset: 0, uptime: 1, memory: 5e6, threads: 7, storageBytes: 4096, keys: 9)])
        let point = store.points.first!
        #expect(point.memoryBytes == 5e6 && point.threads == 7 && point.storageBytes == 4096 && point.keys == 9)
    }

    @Test func healthTimelineKeepsEachChecksStatusPerPoint() {
        let store = SeriesStore(snapshots: [
            Fixture.snapshot(offset: 0, uptime: 1, checks: [Fixture.check("disk", .healthy)]),
            Fixture.snapshot(offset: 15, uptime: 16, checks: [Fixture.check("disk", .degraded), Fixture.check("api", .unhealthy)]),
        ])
        #expect(store.checkNames == ["disk", "api"])
        #expect(store.points.map { $0.status(ofCheck: 0) } == [.healthy, .degraded])
        #expect(store.points.map { $0.status(ofCheck: 1) } == [.absent, .unhealthy])
    }

    @Test func appendingKeepsOnlyTheRetentionWindowAndRejectsOldTimes() {
        var store = SeriesStore(retention: 60)
        for index in 0..<5000 {
            let appended = store.append(Fixture.snapshot(offset: Double(index) * 15, uptime: Double(index) * 15 + 1))
            #expect(appended)
        }
        #expect(store.points.count == 5) // 60 s back from the newest, inclusive
        #expect(store.points.first?.time == Fixture.start + 4995 * 15)
        let old = store.append(Fixture.snapshot(offset: 0, uptime: 1))
        #expect(!old)
        let window = store.points(from: Fixture.start + 4996 * 15, to: Fixture.start + 4998 * 15)
        #expect(window.count == 3)
    }
}
