import KVSnapshot
import Testing

/// The one health order: healthy < degraded < unhealthy, ranked 0, 1, 2.
@Suite struct HealthStatusRankTests {
    @Test func ranksFollowTheOrderWorstHighest() {
        #expect(HealthStatus.allCases.map(\.rank) == [0, 1, 2])
        #expect(HealthStatus.allCases == [.healthy, .degraded, .unhealthy])
        #expect(HealthStatus.healthy < .degraded && HealthStatus.degraded < .unhealthy)
    }
}
