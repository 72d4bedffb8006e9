import Foundation
import KVSnapshot
import Synchronization

@testable import KVMonitoring

/// Fixed values shared by the health tests.
enum HealthFixtures {
    /// 2027-01-15T08:00:00.000Z.
    static let wallTime = Date(timeIntervalSince1970: 1_800_000_000)

    static let system = SystemInfo(
        swiftVersion: "6.3", os: "Linux 6.1.0 x86_64", cpuCount: 2, memoryTotalBytes: 4_294_967_296,
        residentMemoryBytes: 52_428_800, threads: 12, pid: 42, hostname: "kv-1"
    )

    /// A check that answers `outcome` at once and counts its runs.
    static func check(
        _ name: String, critical: Bool = true, liveness: Bool = true, interval: Duration = .seconds(30),
        timeout: Duration = .seconds(30), runs: RunCounter = RunCounter(), _ outcome: HealthCheckOutcome = .pass("fine")
    ) -> ClosureHealthCheck {
        ClosureHealthCheck(
            name: name, kind: "test", critical: critical, includedInLiveness: liveness, interval: interval, timeout: timeout
        ) {
            runs.increment()
            return outcome
        }
    }

    /// A check whose run never returns and ignores cancellation.
    static func hangingCheck(_ name: String, timeout: Duration, runs: RunCounter) -> ClosureHealthCheck {
        ClosureHealthCheck(
            name: name, kind: "dependency", critical: true, includedInLiveness: false, interval: .seconds(30), timeout: timeout
        ) {
            runs.increment()
            await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in }
            return .pass("unreachable")
        }
    }

    static func monitor(
        _ checks: [any HealthCheck], thresholds: CheckState.Thresholds = .init(failure: 1, success: 1), metrics: HealthMetrics? = nil,
        clock: any Clock<Duration> = ContinuousClock()
    ) throws -> HealthMonitor {
        try HealthMonitor(
            checks: checks, thresholds: thresholds, version: "1.2.3", startTime: self.wallTime.addingTimeInterval(-60),
            systemInfo: { HealthFixtures.system }, metrics: metrics, clock: clock, wallClock: { HealthFixtures.wallTime }
        )
    }
}

/// Counts calls from any task.
final class RunCounter: Sendable {
    private let count = Mutex(0)

    func increment() {
        self.count.withLock { $0 += 1 }
    }

    var value: Int {
        self.count.withLock { $0 }
    }
}

/// An outcome a test changes between runs of a check.
final class ScriptedOutcome: Sendable {
    private let outcome: Mutex<HealthCheckOutcome>

    init(_ outcome: HealthCheckOutcome) {
        self.outcome = Mutex(outcome)
    }

    var current: HealthCheckOutcome {
        get { self.outcome.withLock { $0 } }
        set { self.outcome.withLock { $0 = newValue } }
    }
}
