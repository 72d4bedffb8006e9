import Foundation
import KVSnapshot
import Testing

@testable import KVMonitoring

@Suite struct AlertEvaluatorTests {
    private func condition(_ rule: AlertRule, _ observations: [AlertObservation]) -> AlertCondition {
        var evaluator = AlertEvaluator(rules: [rule])
        var last = AlertCondition.noData
        for observation in observations {
            last = evaluator.evaluate(observation)[0]
        }
        return last
    }

    @Test(arguments: [
        (HealthStatus.healthy, 1.0, 0.0, false), (.degraded, 1, 1, true), (.unhealthy, 1, 2, true),
        (.degraded, 2, 1, false), (.unhealthy, 2, 2, true),
    ])
    func healthStatusHoldsAtOrAboveThreshold(status: HealthStatus, threshold: Double, value: Double, holds: Bool) {
        let result = self.condition(AlertFixtures.rule(.healthStatus, threshold: threshold),
                                    [AlertFixtures.observation(at: 0, health: AlertFixtures.health(status))])
        #expect(result == AlertCondition(value: value, holds: holds))
    }

    @Test func criticalCheckCountsOnlyUnhealthyCriticalChecks() {
        let checks = [
            AlertFixtures.check("storage", status: .unhealthy, critical: true),
            AlertFixtures.check("db", status: .unhealthy, critical: true),
            AlertFixtures.check("disk", status: .unhealthy, critical: false),
            AlertFixtures.check("cache", status: .degraded, critical: true),
        ]
        let failing = self.condition(AlertFixtures.rule(.criticalCheck),
                                     [AlertFixtures.observation(at: 0, health: AlertFixtures.health(.unhealthy, checks: checks))])
        #expect(failing == AlertCondition(value: 2, holds: true, labels: ["check": "db,storage"]))

        let fine = self.condition(AlertFixtures.rule(.criticalCheck),
                                  [AlertFixtures.observation(at: 0, health: AlertFixtures.health(.degraded, checks: Array(checks[2...])))])
        #expect(fine == AlertCondition(value: 0, holds: false))
    }

    @Test(arguments: [(HealthStatus.healthy, false), (.degraded, true), (.unhealthy, true)])
    func snapshotsHoldsWhenTheSnapshotsCheckIsNotHealthy(status: HealthStatus, holds: Bool) {
        let checks = [AlertFixtures.check("snapshots", kind: "snapshots", status: status, critical: false),
                      AlertFixtures.check("storage", status: .unhealthy, critical: true)]
        let result = self.condition(AlertFixtures.rule(.snapshots),
                                    [AlertFixtures.observation(at: 0, health: AlertFixtures.health(checks: checks))])
        #expect(result == AlertCondition(value: AlertEvaluator.rank(status), holds: holds))
    }

    /// 90% of a 1000-byte limit: 899 is under, 900 is at (not over), 901 is over.
    @Test(arguments: [(899.0, false), (900, false), (901, true)])
    func memoryRatioHoldsOverThreshold(resident: Double, holds: Bool) {
        let metrics = [AlertFixtures.gauge(KVMetrics.processResidentMemoryBytes, resident), AlertFixtures.gauge(KVMetrics.memoryLimitBytes, 1000)]
        let result = self.condition(AlertFixtures.rule(.memoryRatio, threshold: 0.9), [AlertFixtures.observation(at: 0, metrics: metrics)])
        #expect(result == AlertCondition(value: resident / 1000, holds: holds))
    }

    @Test(arguments: [(3_599.0, false), (3_600, false), (3_601, true)])
    func storageRatioHoldsOverThreshold(size: Double, holds: Bool) {
        let metrics = [AlertFixtures.gauge(KVMetrics.storageSizeBytes, size), AlertFixtures.gauge(KVMetrics.storageQuotaBytes, 4000)]
        let result = self.condition(AlertFixtures.rule(.storageRatio, threshold: 0.9),
                                    [AlertFixtures.observation(at: 0, metrics: metrics)])
        #expect(result == AlertCondition(value: size / 4000, holds: holds))
    }

    @Test func ratiosWithoutALimitHaveNoData() {
        let zeroQuota = [AlertFixtures.gauge(KVMetrics.storageSizeBytes, 10), AlertFixtures.gauge(KVMetrics.storageQuotaBytes, 0)]
        #expect(self.condition(AlertFixtures.rule(.storageRatio, threshold: 0.9), [AlertFixtures.observation(at: 0, metrics: zeroQuota)]) == .noData)
        let noLimit = [AlertFixtures.gauge(KVMetrics.processResidentMemoryBytes, 10)]
        #expect(self.condition(AlertFixtures.rule(.memoryRatio, threshold: 0.9), [AlertFixtures.observation(at: 0, metrics: noLimit)]) == .noData)
    }

    /// 100 more requests over the window, of which `errors` answered 500; the threshold is 5%.
    @Test(arguments: [(4.0, false), (5, false), (6, true)])
    func errorRatioComparesTheWindowsIncreases(errors: Double, holds: Bool) {
        let rule = AlertFixtures.rule(.errorRatio, threshold: 0.05)
        let result = self.condition(rule, [
            AlertFixtures.observation(at: 0, metrics: [AlertFixtures.requests(ok: 1000, errors: 500)]),
            AlertFixtures.observation(at: 15, metrics: [AlertFixtures.requests(ok: 1000 + 100 - errors, errors: 500 + errors)]),
        ])
        #expect(result == AlertCondition(value: errors / 100, holds: holds))
    }

    @Test func errorRatioStartsAtTheOldestObservationInsideTheWindow() {
        let rule = AlertFixtures.rule(.errorRatio, threshold: 0.05, window: .seconds(300))
        let result = self.condition(rule, [
            AlertFixtures.observation(at: 0, metrics: [AlertFixtures.requests(ok: 0, errors: 0)]),
            AlertFixtures.observation(at: 100, metrics: [AlertFixtures.requests(ok: 0, errors: 50)]),
            AlertFixtures.observation(at: 250, metrics: [AlertFixtures.requests(ok: 30, errors: 50)]),
            AlertFixtures.observation(at: 400, metrics: [AlertFixtures.requests(ok: 90, errors: 60)]),
        ])
        // From t=100 (the oldest at or after 400 − 300): 90 ok and 10 errors.
        #expect(result == AlertCondition(value: 0.1, holds: true))
    }

    @Test func counterResetCountsFromZeroInsteadOfGoingNegative() {
        let rule = AlertFixtures.rule(.errorRatio, threshold: 0.05)
        let observations = [
            AlertFixtures.observation(at: 0, metrics: [AlertFixtures.requests(ok: 900, errors: 100)]),
            // Reset: both series went down; their new totals are the increase (5 ok, 5 errors).
            AlertFixtures.observation(at: 15, metrics: [AlertFixtures.requests(ok: 5, errors: 5)]),
            AlertFixtures.observation(at: 30, metrics: [AlertFixtures.requests(ok: 15, errors: 5)]),
        ]
        #expect(self.condition(rule, Array(observations.prefix(2))) == AlertCondition(value: 0.5, holds: true))
        #expect(self.condition(rule, observations) == AlertCondition(value: 0.25, holds: true))
    }

    @Test func errorRatioNeedsTwoObservationsAndTraffic() {
        let rule = AlertFixtures.rule(.errorRatio, threshold: 0.05)
        #expect(self.condition(rule, [AlertFixtures.observation(at: 0, metrics: [AlertFixtures.requests(ok: 10, errors: 10)])]) == .noData)
        let idle = [AlertFixtures.observation(at: 0, metrics: [AlertFixtures.requests(ok: 10, errors: 10)]),
                    AlertFixtures.observation(at: 15, metrics: [AlertFixtures.requests(ok: 10, errors: 10)])]
        #expect(self.condition(rule, idle) == .noData)
    }

    /// Two series; over the window the summed bucket increases are 900, 970, 980, 1000, 1000.
    /// Rank 0.99 × 1000 = 990 falls in (0.5, 1] holding 20: 0.5 + 0.5 × (990 − 980) / 20 = 0.75.
    @Test func latencyP99InterpolatesInsideTheBucket() {
        let rule = AlertFixtures.rule(.latencyP99, threshold: 0.25)
        let result = self.condition(rule, [
            AlertFixtures.observation(at: 0, metrics: [AlertFixtures.durations([[100, 100, 100, 100, 100], [7, 8, 9, 10, 10]])]),
            AlertFixtures.observation(at: 60, metrics: [AlertFixtures.durations([[700, 740, 745, 760, 760], [307, 338, 344, 350, 350]])]),
        ])
        #expect(result == AlertCondition(value: 0.75, holds: true))
        let calm = self.condition(AlertFixtures.rule(.latencyP99, threshold: 1), [
            AlertFixtures.observation(at: 0, metrics: [AlertFixtures.durations([[100, 100, 100, 100, 100]])]),
            AlertFixtures.observation(at: 60, metrics: [AlertFixtures.durations([[700, 740, 745, 760, 760], [300, 330, 335, 340, 340]])]),
        ])
        #expect(calm == AlertCondition(value: 0.75, holds: false))
    }

    @Test func noDataNeverHolds() {
        let rules = AlertRule.Kind.allCases.map { AlertFixtures.rule($0, threshold: 0.5, name: $0.rawValue) }
        var evaluator = AlertEvaluator(rules: rules)
        for tick in 0..<3 {
            let conditions = evaluator.evaluate(AlertFixtures.observation(at: Double(tick) * 15))
            for (rule, condition) in zip(rules, conditions) {
                #expect(!condition.holds, "\(rule.kind)")
                switch rule.kind {
                case .healthStatus, .criticalCheck: #expect(condition.value == 0)
                default: #expect(condition.value == nil, "\(rule.kind)")
                }
            }
        }
    }

    @Test func historyKeepsOnlyTheLongestWindowPlusOnePoint() {
        var evaluator = AlertEvaluator(rules: [AlertFixtures.rule(.errorRatio, window: .seconds(60)),
                                               AlertFixtures.rule(.latencyP99, window: .seconds(30))])
        for tick in 0...40 {
            _ = evaluator.evaluate(AlertFixtures.observation(at: Double(tick) * 10, metrics: [AlertFixtures.requests(ok: Double(tick), errors: 0)]))
        }
        // Points at 340...400 are inside the 60 s window; 330 is the one older point.
        #expect(evaluator.history.points.map { $0.time.timeIntervalSince(AlertFixtures.start) } == [330, 340, 350, 360, 370, 380, 390, 400])
        #expect(AlertEvaluator(rules: [AlertFixtures.rule(.memoryRatio)]).history.retention == 0)
    }
}
