import Foundation
import Testing
@testable import KVDashboard
import KVSnapshot

/// `ObjectiveFigures` against a hand-computed archive: a snapshot every 30 minutes for 8 hours,
/// 1,000 good requests an interval, one 5xx an interval for 6 hours and ten for the last 2; 90% of
/// requests within 100 ms, 99% within 250 ms.
@Suite struct ObjectiveFiguresTests {
    static let intervals = 16

    static func store() -> SeriesStore {
        SeriesStore(snapshots: (0...intervals).map { k in
            let errors = k <= 12 ? k : 12 + 10 * (k - 12)
            return Fixture.snapshot(
                offset: Double((k - intervals) * 1_800), uptime: Double(10_000 + k * 1_800), sequence: UInt64(k + 1),
                requests: [("200", Double(1_000 * k)), ("503", Double(errors))],
                latency: [(0.1, UInt64(900 * k)), (0.25, UInt64(990 * k)), (.infinity, UInt64(1_000 * k))])
        })
    }

    static let end = Fixture.start

    func figures(_ spec: String, period: Double = ServiceLevelObjective.defaultPeriodSeconds) throws -> ObjectiveFigures {
        let objective = try #require(ServiceLevelObjective(parsing: spec))
        return ObjectiveFigures(objective, points: Self.store().points, end: Self.end, periodSeconds: period)
    }

    func near(_ value: Double?, _ expected: Double) -> Bool {
        guard let value else { return false }
        return abs(value - expected) <= 1e-12 * max(1, abs(expected))
    }

    @Test func availabilityOverThePeriodAndTheBurnWindows() throws {
        let figures = try figures("availability:99.9%")
        // The window (8 h) is shorter than the period (30 d): all 16 intervals, 52 bad of 16,052.
        #expect(figures.seconds == 8 * 3_600 && figures.requests == 16_052)
        #expect(near(figures.achieved, 1 - 52.0 / 16_052))
        #expect(near(figures.budgetRemaining, 1 - (52.0 / 16_052) / 0.001))
        // The last hour: two intervals of 1,010 with 10 bad each; six hours: 12 intervals, 48 bad.
        #expect(near(figures.burnRate1h, (20.0 / 2_020) / 0.001))
        #expect(near(figures.burnRate6h, (48.0 / 12_048) / 0.001))
        #expect(figures.boundIsBucket)
    }

    @Test func aPeriodShorterThanTheWindowTakesTheWindowsEnd() throws {
        let figures = try figures("availability:99.9%", period: 2 * 3_600)
        #expect(figures.seconds == 7_200 && figures.requests == 4_040)
        #expect(near(figures.achieved, 1 - 40.0 / 4_040))
    }

    @Test func latencyAtABucketBound() throws {
        let quarter = try figures("latency:250ms:99%")
        #expect(quarter.requests == 16_000 && near(quarter.achieved, 0.99) && near(quarter.budgetRemaining, 0))
        #expect(near(quarter.burnRate1h, 1) && near(quarter.burnRate6h, 1))
        let tenth = try figures("latency:0.1s:99%")
        #expect(near(tenth.burnRate1h, 10) && near(tenth.budgetRemaining, -9))
        let between = try figures("latency:300ms:99%")
        #expect(!between.boundIsBucket && between.requests == 0 && between.achieved == nil && between.burnRate1h == nil)
    }

    @Test(arguments: [
        ("availability:99.9%", "availability", 0.999), ("latency:250ms:99%", "latency ≤ 250 ms", 0.99),
        ("latency:1.5s:95.5%", "latency ≤ 1.5 s", 0.955), ("latency:0.25:99%", "latency ≤ 250 ms", 0.99),
    ])
    func objectivesParse(text: String, name: String, target: Double) throws {
        let objective = try #require(ServiceLevelObjective(parsing: text))
        #expect(objective.name == name && objective.target == target)
        #expect(ServiceLevelObjective(parsing: objective.description) == objective, "its text reads back")
    }

    @Test(arguments: ["availability", "availability:100%", "availability:0%", "availability:99.9", "latency:99%",
                      "latency:-1ms:99%", "latency:fast:99%", "uptime:99%", "availability:1e2%"])
    func badObjectivesDoNotParse(text: String) {
        #expect(ServiceLevelObjective(parsing: text) == nil)
    }
}
