import KVSnapshot
import Testing

@testable import KVMonitoring

@Suite struct HealthAggregatorTests {
    /// A check as `C`/`N` (critical or not) and `pass`/`warn`/`fail`.
    static let kinds = ["C-pass", "C-warn", "C-fail", "N-pass", "N-warn", "N-fail"]

    /// Expected overall status: row = first check, column = second (H healthy, D degraded, U unhealthy).
    static let table = """
                  C-pass C-warn C-fail N-pass N-warn N-fail
        C-pass    H      D      U      H      D      D
        C-warn    D      D      U      D      D      D
        C-fail    U      U      U      U      U      U
        N-pass    H      D      U      H      D      D
        N-warn    D      D      U      D      D      D
        N-fail    D      D      U      D      D      D
        """

    struct Pair: Sendable, CustomTestStringConvertible {
        let first: String
        let second: String
        let expected: HealthStatus
        var testDescription: String { "\(self.first) + \(self.second) → \(self.expected)" }
    }

    static let pairs: [Pair] = {
        let rows = table.split(separator: "\n").dropFirst().map { $0.split(separator: " ") }
        return rows.flatMap { row in
            zip(kinds, row.dropFirst()).map { column, letter in
                Pair(first: String(row[0]), second: column, expected: letter == "H" ? .healthy : letter == "D" ? .degraded : .unhealthy)
            }
        }
    }()

    static func check(_ name: String, _ kind: String) -> HealthCheckReport {
        let status: HealthStatus = kind.hasSuffix("pass") ? .healthy : kind.hasSuffix("warn") ? .degraded : .unhealthy
        return HealthCheckReport(
            name: name, kind: "test", status: status, message: kind, durationMilliseconds: 1, critical: kind.hasPrefix("C"), time: nil)
    }

    @Test func tableCoversEveryCombination() {
        #expect(Self.pairs.count == 36)
    }

    @Test(arguments: pairs)
    func overallStatusFollowsTheAggregationTable(_ pair: Pair) {
        let checks = [Self.check("a", pair.first), Self.check("b", pair.second)]
        #expect(HealthAggregator.status(of: checks) == pair.expected)
        #expect(HealthAggregator.status(of: checks.reversed()) == pair.expected)
    }

    @Test(arguments: pairs)
    func summaryCountsEachStatus(_ pair: Pair) {
        let checks = [Self.check("a", pair.first), Self.check("b", pair.second)]
        let summary = HealthAggregator.summary(of: checks)
        let statuses = checks.map(\.status)
        #expect(summary.total == 2)
        #expect(summary.healthy == statuses.filter { $0 == .healthy }.count)
        #expect(summary.degraded == statuses.filter { $0 == .degraded }.count)
        #expect(summary.unhealthy == statuses.filter { $0 == .unhealthy }.count)
    }

    @Test func noChecksIsHealthy() {
        #expect(HealthAggregator.status(of: [HealthCheckReport]()) == .healthy)
        #expect(HealthAggregator.summary(of: [HealthCheckReport]()) == HealthSummary(total: 0, healthy: 0, degraded: 0, unhealthy: 0))
    }
}
