import Foundation
import KVMonitoring
import KVSnapshot
import Synchronization
import Testing
@testable import KVServer

/// `/api/v1/health` is rendered once per check result, not once per request.
@Suite struct HealthReportCacheTests {
    /// A check whose outcome the test sets, and a system reader that counts the reports made.
    final class Script: Sendable {
        let failing = Mutex(false)
        let reports = Mutex(0)
    }

    func monitor(_ script: Script) throws -> HealthMonitor {
        let check = ClosureHealthCheck(name: "scripted", kind: "test", critical: true, interval: .seconds(30), timeout: .seconds(30)) {
            script.failing.withLock { $0 } ? .fail("broken") : .pass("fine")
        }
        return try HealthMonitor(
            checks: [check], thresholds: .init(failure: 1, success: 1), version: "1.2.3", startTime: Date(timeIntervalSince1970: 0),
            systemInfo: {
                script.reports.withLock { $0 += 1 }
                return SystemInfo(swiftVersion: "6", os: "linux", cpuCount: 2, memoryTotalBytes: 1, residentMemoryBytes: 1, threads: 1, pid: 1, hostname: "h")
            })
    }

    @Test func aRenderingIsServedUntilACheckRecordsAResultOrItIsASecondOld() async throws {
        let script = Script()
        let monitor = try monitor(script)
        let cache = HealthReportCache(monitor: monitor)
        await monitor.runAllOnce()
        let start = Date(timeIntervalSince1970: 1_000)

        let first = cache.rendered(ietf: false, now: start)
        #expect(first.status == .ok)
        #expect(script.reports.withLock { $0 } == 1)
        // Within the second and with no new result: the same bytes, no report made.
        let again = cache.rendered(ietf: false, now: start.addingTimeInterval(0.9))
        #expect(again.body == first.body)
        #expect(String(buffer: again.body).contains(#""uptime_seconds":1000"#))
        #expect(script.reports.withLock { $0 } == 1)
        // The IETF shape is a rendering of its own.
        let ietf = cache.rendered(ietf: true, now: start)
        #expect(String(buffer: ietf.body).contains(#""status":"pass""#))
        #expect(script.reports.withLock { $0 } == 2)

        // A second later the time moves on.
        let later = cache.rendered(ietf: false, now: start.addingTimeInterval(1))
        #expect(String(buffer: later.body).contains(#""uptime_seconds":1001"#))
        #expect(script.reports.withLock { $0 } == 3)

        // A recorded result is served at once, within the second.
        script.failing.withLock { $0 = true }
        await monitor.runAllOnce()
        let failed = cache.rendered(ietf: false, now: start.addingTimeInterval(1.1))
        #expect(failed.status == .serviceUnavailable)
        #expect(String(buffer: failed.body).contains(#""message":"broken""#))
        #expect(script.reports.withLock { $0 } == 4)
    }
}
