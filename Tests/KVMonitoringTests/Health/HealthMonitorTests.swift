import Foundation
import KVSnapshot
import Testing

@testable import KVMonitoring

@Suite struct HealthMonitorTests {
    @Test func beforeAnyRunEveryCheckSaysNoResultYet() throws {
        let monitor = try HealthFixtures.monitor([HealthFixtures.check("storage"), HealthFixtures.check("disk", critical: false)])
        let report = monitor.report()
        #expect(report.status == .unhealthy)
        #expect(report.checks["storage"]?.message == "no result yet")
        #expect(report.checks["disk"]?.status == .unhealthy)
        #expect(report.summary == HealthSummary(total: 2, healthy: 0, degraded: 0, unhealthy: 2))
        #expect(report.uptimeSeconds == 60)
        #expect(report.version == "1.2.3")
        #expect(report.time == "2027-01-15T08:00:00.000Z")
        #expect(report.system == HealthFixtures.system)
    }

    @Test func runAllOnceRecordsEveryOutcome() async throws {
        let monitor = try HealthFixtures.monitor([
            HealthFixtures.check("storage", .pass("Storage is operational", details: ["entries": 3])),
            HealthFixtures.check("memory", critical: false, .warn("Memory usage is high")),
        ])
        await monitor.runAllOnce()
        let report = monitor.report()
        #expect(report.status == .degraded)
        #expect(report.checks["storage"]?.status == .healthy)
        #expect(report.checks["storage"]?.details == ["entries": 3])
        #expect(report.checks["storage"]?.time == "2027-01-15T08:00:00.000Z")
        #expect(report.checks["memory"]?.status == .degraded)
        #expect(report.summary == HealthSummary(total: 2, healthy: 1, degraded: 1, unhealthy: 0))
    }

    @Test func aCheckThatNeverReturnsTimesOutAndTheReportStaysAvailable() async throws {
        let runs = RunCounter()
        let monitor = try HealthFixtures.monitor([
            HealthFixtures.hangingCheck("upstream", timeout: .milliseconds(200), runs: runs), HealthFixtures.check("storage"),
        ])
        let clock = ContinuousClock()
        let start = clock.now
        await monitor.runAllOnce()
        // The hung check never returns: any bound proves it was not waited on (loose for loaded CI machines).
        #expect(start.duration(to: clock.now) < .seconds(60))

        let probeStart = clock.now
        let report = monitor.report()
        #expect(probeStart.duration(to: clock.now) < .milliseconds(500))
        let upstream = try #require(report.checks["upstream"])
        #expect(upstream.status == .unhealthy)
        #expect(upstream.message == "timeout after 200ms")
        #expect(upstream.durationMilliseconds == 200)
        #expect(report.checks["storage"]?.status == .healthy)
        #expect(report.status == .unhealthy)

        // Still hung: the next run is not started again but reported as timing out.
        await monitor.runAllOnce()
        #expect(runs.value == 1)
        let again = try #require(monitor.report().checks["upstream"])
        #expect(again.message == "timeout after 200ms (previous run still in progress)")
        #expect(again.consecutiveFailures == 2)
    }

    @Test func runKeepsChecksFreshAndReturnsWhenCancelled() async throws {
        let runs = RunCounter()
        let hung = RunCounter()
        let monitor = try HealthFixtures.monitor([
            HealthFixtures.check("storage", interval: .milliseconds(50), runs: runs),
            HealthFixtures.hangingCheck("upstream", timeout: .milliseconds(100), runs: hung),
        ])
        let task = Task { await monitor.run() }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(60))
        while runs.value < 3, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(runs.value >= 3)
        #expect(monitor.secondsUntilNextRun(now: HealthFixtures.wallTime, probe: .liveness) == 0)
        #expect(monitor.secondsUntilNextRun(now: HealthFixtures.wallTime.addingTimeInterval(-10), probe: .readiness) == 10)
        task.cancel()
        let stopped = clock.now
        await task.value
        #expect(stopped.duration(to: clock.now) < .seconds(60))
        #expect(hung.value == 1)
        let count = runs.value
        try await Task.sleep(for: .milliseconds(150))
        #expect(runs.value == count)
    }

    @Test func runWithoutChecksWaitsForCancellation() async throws {
        let monitor = try HealthFixtures.monitor([])
        let task = Task { await monitor.run() }
        try await Task.sleep(for: .milliseconds(100))
        let finished = RunCounter()
        let watcher = Task {
            await task.value
            finished.increment()
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(finished.value == 0)
        task.cancel()
        await watcher.value
        #expect(finished.value == 1)
        #expect(monitor.report().status == .healthy)
    }

    @Test func probesSeeOnlyTheirChecks() throws {
        let monitor = try HealthFixtures.monitor([
            HealthFixtures.check("storage"),
            HealthFixtures.check("upstream", liveness: false),
            HealthFixtures.check("disk", critical: false),
        ])
        #expect(monitor.checkReports(for: .liveness).map(\.name) == ["storage"])
        #expect(monitor.checkReports(for: .readiness).map(\.name) == ["storage", "upstream"])
        #expect(monitor.checkReports().map(\.name) == ["storage", "upstream", "disk"])
    }

    @Test func thresholdsApplyAcrossRuns() async throws {
        let script = ScriptedOutcome(.pass("fine"))
        let flaky = ClosureHealthCheck(name: "flaky", kind: "test", critical: true, interval: .seconds(30), timeout: .seconds(30)) {
            script.current
        }
        let monitor = try HealthFixtures.monitor([flaky], thresholds: .init(failure: 3, success: 2))
        func status() -> HealthStatus? { monitor.report().checks["flaky"]?.status }

        await monitor.runAllOnce()
        #expect(status() == .healthy)

        // Passing: two failures stay under the failure threshold of 3, the third one counts.
        script.current = .fail("broken")
        await monitor.runAllOnce()
        #expect(status() == .healthy)
        await monitor.runAllOnce()
        #expect(status() == .healthy)
        #expect(monitor.report().checks["flaky"]?.consecutiveFailures == 2)
        #expect(monitor.report().checks["flaky"]?.message == "broken (failure 2 of 3 before unhealthy)")
        await monitor.runAllOnce()
        #expect(status() == .unhealthy)
        #expect(monitor.report().status == .unhealthy)

        // Failing: one pass is under the success threshold of 2, the second one recovers.
        script.current = .pass("fine")
        await monitor.runAllOnce()
        #expect(status() == .unhealthy)
        #expect(monitor.report().checks["flaky"]?.message == "fine (pass 1 of 2 to recover)")
        await monitor.runAllOnce()
        #expect(status() == .healthy)
        #expect(monitor.report().status == .healthy)

        // A pass in between resets the failure streak.
        script.current = .fail("broken")
        await monitor.runAllOnce()
        await monitor.runAllOnce()
        script.current = .pass("fine")
        await monitor.runAllOnce()
        script.current = .fail("broken")
        await monitor.runAllOnce()
        await monitor.runAllOnce()
        #expect(status() == .healthy)
    }

    @Test func duplicateNamesAreRejected() {
        let error = #expect(throws: HealthMonitorError.self) {
            try HealthFixtures.monitor([HealthFixtures.check("storage"), HealthFixtures.check("storage")])
        }
        #expect(error?.code == .duplicateName)
        #expect(error?.description == "two health checks are named \"storage\"; names must be unique")
    }

    @Test func secondsUntilNextRunIsZeroBeforeRun() throws {
        let monitor = try HealthFixtures.monitor([HealthFixtures.check("storage")])
        #expect(monitor.secondsUntilNextRun(now: HealthFixtures.wallTime) == 0)
    }

    @Test func statusAndDurationsAreExportedAsMetrics() async throws {
        let registry = MetricsRegistry()
        let metrics = try HealthMetrics(registry: registry)
        let monitor = try HealthFixtures.monitor(
            [HealthFixtures.check("storage"), HealthFixtures.check("memory", critical: false, .warn("high"))], metrics: metrics)

        func gauge(_ name: String, _ labels: [String: String]) -> Double? {
            registry.snapshot().first { $0.name == name }?.samples.first { $0.labels == labels }?.value
        }
        #expect(gauge("kvstore_health_status", ["state": "unhealthy"]) == 1)
        #expect(gauge("kvstore_health_check_status", ["check": "storage", "state": "unhealthy"]) == 1)

        await monitor.runAllOnce()
        #expect(gauge("kvstore_health_status", ["state": "healthy"]) == 0)
        #expect(gauge("kvstore_health_status", ["state": "degraded"]) == 1)
        #expect(gauge("kvstore_health_status", ["state": "unhealthy"]) == 0)
        #expect(gauge("kvstore_health_check_status", ["check": "storage", "state": "healthy"]) == 1)
        #expect(gauge("kvstore_health_check_status", ["check": "storage", "state": "unhealthy"]) == 0)
        #expect(gauge("kvstore_health_check_status", ["check": "memory", "state": "degraded"]) == 1)

        let durations = try #require(registry.snapshot().first { $0.name == "kvstore_health_check_duration_seconds" })
        #expect(durations.type == .summary)
        let storage = try #require(durations.samples.first { $0.labels == ["check": "storage"] })
        #expect(storage.count == 1)
        #expect(storage.quantiles?.count == 3)
    }
}
