import Foundation
import KVSnapshot
import KVTestSupport
import Testing

@testable import KVMonitoring

/// The shared table of resets, restarts and gaps through the alerts' history: the same rows as
/// `KVSnapshotTests.SeriesMathTests` and `KVDashboardTests.IncreaseTableTests`.
@Suite struct AlertHistoryTableTests {
    static func observation(_ sample: IncreaseCase.Sample) -> AlertObservation {
        var health = AlertFixtures.health()
        health.uptimeSeconds = sample.uptime
        return AlertObservation(time: AlertFixtures.time(sample.time), health: health, metrics: sample.metrics)
    }

    @Test(arguments: IncreaseCase.all)
    func alertHistoryComputesTheTablesIncreases(row: IncreaseCase) throws {
        var history = AlertHistory(retention: 3_600)
        history.record(Self.observation(row.samples[0]))
        #expect(history.requestIncrease(since: AlertFixtures.start) == nil)
        for (index, sample) in row.samples.enumerated().dropFirst() {
            history.record(Self.observation(sample))
            let step = try #require(history.requestIncrease(since: AlertFixtures.time(row.samples[index - 1].time)))
            #expect(nearlyEqual(step.total, row.stepIncreases[index - 1]))
        }
        let window = try #require(history.requestIncrease(since: AlertFixtures.start))
        #expect(nearlyEqual(window.total, row.increase))
        #expect(nearlyEqual(window.part, row.errors))
        #expect(nearlyEqual(try #require(SeriesMath.rate(window.total, over: row.seconds)), row.rate))
        let buckets = try #require(history.bucketIncrease(since: AlertFixtures.start))
        if let expected = row.latencyIncrease {
            let byBound = Dictionary(uniqueKeysWithValues: buckets.map { ($0.upperBound, $0.count) })
            #expect(IncreaseCase.bounds.map { byBound[$0] ?? -1 } == expected)
        } else {
            #expect(buckets.isEmpty)
        }
    }

    /// One bucket going down means the whole histogram was reset (per series, as the dashboard
    /// judges it): the new counts are the increase, not a mix of per-bucket differences.
    @Test func latencyP99TreatsAHistogramResetPerSeries() throws {
        let rule = AlertFixtures.rule(.latencyP99, threshold: 0.25)
        var evaluator = AlertEvaluator(rules: [rule])
        _ = evaluator.evaluate(AlertFixtures.observation(at: 0, metrics: [AlertFixtures.durations([[40, 40, 150, 150, 150]])]))
        // The 0.5 bucket went down: the series was reset, its new counts 50, 100, 100, 100, 100 are
        // the increase, and rank 99 falls in (0.1, 0.25]: 0.1 + 0.15 × 49/50 = 0.247. (Judged per
        // bucket it would be 10, 60, 100, 100, 100 and p99 0.49375.)
        let result = evaluator.evaluate(AlertFixtures.observation(at: 60, metrics: [AlertFixtures.durations([[50, 100, 100, 100, 100]])]))
        let value = try #require(result.first?.value)
        #expect(nearlyEqual(value, 0.247))
        #expect(result.first?.holds == false)
    }

    /// A restart (uptime went back) counts every series from zero, even one that grew past its old value.
    @Test func errorRatioCountsFromZeroAfterARestart() {
        var evaluator = AlertEvaluator(rules: [AlertFixtures.rule(.errorRatio, threshold: 0.05)])
        var before = AlertFixtures.health()
        before.uptimeSeconds = 500
        var after = AlertFixtures.health()
        after.uptimeSeconds = 10
        _ = evaluator.evaluate(AlertFixtures.observation(at: 0, health: before, metrics: [AlertFixtures.requests(ok: 10, errors: 0)]))
        let result = evaluator.evaluate(AlertFixtures.observation(at: 15, health: after, metrics: [AlertFixtures.requests(ok: 30, errors: 10)]))
        // 40 requests since the restart, 10 of them 5xx (without restart detection: 30, 10 → 1/3).
        #expect(result == [AlertCondition(value: 0.25, holds: true)])
    }
}
