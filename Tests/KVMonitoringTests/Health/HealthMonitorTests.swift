import Foundation
import KVSnapshot
import Testing
import KVTestSupport

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
        let clock = ManualClock()
        let monitor = try HealthFixtures.monitor([
            HealthFixtures.hangingCheck("upstream", timeout: .milliseconds(200), runs: runs), HealthFixtures.check("storage"),
        ], clock: clock)
        let firstRun = Task { await monitor.runAllOnce() }
        // Storage has answered (its timeout no longer waits); the hung check's 200 ms timeout is what is left.
        #expect(await eventually { clock.deadlines == [.milliseconds(200)] })
        clock.advance(by: .milliseconds(200))
        await firstRun.value

        let report = monitor.report()
        let upstream = try #require(report.checks["upstream"])
        #expect(upstream.status == .unhealthy)
        #expect(upstream.message == "timeout after 200ms")
        #expect(upstream.durationMilliseconds == 200)
        #expect(report.checks["storage"]?.status == .healthy)
        #expect(report.status == .unhealthy)

        // Still hung: the next run is not started again but reported as timing out, without waiting.
        await monitor.runAllOnce()
        #expect(runs.value == 1)
        let again = try #require(monitor.report().checks["upstream"])
        #expect(again.message == "timeout after 200ms (previous run still in progress)")
        #expect(again.consecutiveFailures == 2)
    }

    @Test func runKeepsChecksFreshAndReturnsWhenCancelled() async throws {
        let runs = RunCounter()
        let hung = RunCounter()
        let clock = ManualClock()
        let monitor = try HealthFixtures.monitor([
            HealthFixtures.check("storage", interval: .milliseconds(50), runs: runs),
            HealthFixtures.hangingCheck("upstream", timeout: .milliseconds(100), runs: hung),
        ], clock: clock)
        let task = Task { await monitor.run() }
        #expect(await eventually { runs.value == 1 })
        // One run per interval of the clock, and the hung check's timeout on the same clock.
        for expected in 2...3 {
            clock.advance(by: .milliseconds(50))
            #expect(await eventually { runs.value == expected })
        }
        #expect(await eventually { monitor.report().checks["upstream"]?.message == "timeout after 100ms" })
        #expect(monitor.secondsUntilNextRun(now: HealthFixtures.wallTime, probe: .liveness) == 0)
        #expect(monitor.secondsUntilNextRun(now: HealthFixtures.wallTime.addingTimeInterval(-10), probe: .readiness) == 10)
        task.cancel()
        await task.value
        #expect(hung.value == 1)
        // Returned: nothing sleeps on the clock any more, and time passing runs nothing.
        #expect(await eventually { clock.sleepers == 0 })
        let count = runs.value
        clock.advance(by: .seconds(1))
        #expect(runs.value == count)
    }

    @Test func runWithoutChecksWaitsForCancellation() async throws {
        let clock = ManualClock()
        let monitor = try HealthFixtures.monitor([], clock: clock)
        let finished = RunCounter()
        let task = Task {
            await monitor.run()
            finished.increment()
        }
        #expect(await eventually { clock.sleepers == 1 })
        // Hours passing do not end it (it sleeps again); only cancellation does.
        clock.advance(by: .seconds(7200))
        #expect(await eventually { clock.sleepers == 1 })
        #expect(finished.value == 0)
        task.cancel()
        await task.value
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
