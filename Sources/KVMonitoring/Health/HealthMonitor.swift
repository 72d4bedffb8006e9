import Foundation
import KVSnapshot
import Logging
import Synchronization

/// Runs health checks in the background, each on its own interval with its own timeout, and
/// serves their latest results to probes without waiting on any check.
///
/// Call `run()` from a long-running task (it returns when that task is cancelled), or
/// `runAllOnce()` to run every check once (at start-up, in tests). `report()` and
/// `checkReports(for:)` only read cached results.
public final class HealthMonitor: Sendable {
    struct Entry {
        var state: CheckState
        var inFlight = false
        var nextRunAt: Date?
    }

    /// The checks, in the order given.
    public let checks: [any HealthCheck]
    /// The version reported.
    public let version: String
    /// When the process started (uptime is measured from here).
    public let startTime: Date
    let clock: any Clock<Duration>
    let wallClock: @Sendable () -> Date
    let systemInfo: @Sendable () -> SystemInfo
    let metrics: HealthMetrics?
    let logger: Logger
    let entries: Mutex<[Entry]>
    /// Counts recorded results; see `resultsGeneration`.
    let recordedResults = Atomic<UInt64>(0)

    /// Creates a monitor; no check runs until `run()` or `runAllOnce()`.
    ///
    /// - Parameters:
    ///   - checks: the checks; names must be unique.
    ///   - thresholds: failures in a row to turn unhealthy, passes in a row to recover.
    ///   - version: the server version reported.
    ///   - startTime: when the process started, for `uptime_seconds`.
    ///   - systemInfo: called at every `report()`; keep it cheap.
    ///   - metrics: where status and durations are recorded, if anywhere.
    ///   - clock: schedules runs, times them and enforces timeouts.
    ///   - wallClock: stamps results (`time`).
    public init(
        checks: [any HealthCheck],
        thresholds: CheckState.Thresholds = CheckState.Thresholds(),
        version: String,
        startTime: Date,
        systemInfo: @escaping @Sendable () -> SystemInfo = SystemInfoReader().read,
        metrics: HealthMetrics? = nil,
        logger: Logger = Logger(label: "kvstore.health", factory: { _ in SwiftLogNoOpLogHandler() }),
        clock: any Clock<Duration> = ContinuousClock(),
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) throws(HealthMonitorError) {
        var seen = Set<String>()
        for check in checks where !seen.insert(check.name).inserted {
            throw .duplicateName(check.name)
        }
        self.checks = checks
        self.version = version
        self.startTime = startTime
        self.clock = clock
        self.wallClock = wallClock
        self.systemInfo = systemInfo
        self.metrics = metrics
        self.logger = logger
        self.entries = Mutex(checks.map { _ in Entry(state: CheckState(thresholds: thresholds)) })
        let reports = self.checkReports()
        for report in reports {
            metrics?.recordCheck(report.name, status: report.status)
        }
        metrics?.recordOverall(HealthAggregator.status(of: reports))
    }

    /// The full report from cached results, at `now` (uptime and `time`).
    public func report(now: Date) -> HealthReport {
        let uptime = max(0, now.timeIntervalSince(self.startTime))
        return HealthAggregator.report(
            checks: self.checkReports(),
            version: self.version,
            uptimeSeconds: (uptime * 1000).rounded() / 1000,
            system: self.systemInfo(),
            time: HealthText.rfc3339(now)
        )
    }

    /// A number that changes each time a check records a result (read it before the results,
    /// so that a report made from them is never newer than the number says): whoever keeps a
    /// rendering of the cached results renders again when it moved.
    public var resultsGeneration: UInt64 {
        self.recordedResults.load(ordering: .acquiring)
    }

    /// The full report from cached results, now.
    public func report() -> HealthReport {
        self.report(now: self.wallClock())
    }

    /// Every check's cached report, in check order.
    public func checkReports() -> [HealthCheckReport] {
        self.entries.withLock { entries in
            zip(self.checks, entries).map { check, entry in
                entry.state.report(name: check.name, kind: check.kind, critical: check.critical)
            }
        }
    }

    /// The cached reports of the checks `probe` looks at, in check order.
    public func checkReports(for probe: HealthProbe) -> [HealthCheckReport] {
        self.entries.withLock { entries in
            zip(self.checks, entries).compactMap { check, entry in
                guard probe.includes(check) else { return nil }
                return entry.state.report(name: check.name, kind: check.kind, critical: check.critical)
            }
        }
    }

    /// Whole seconds until the soonest next run among the checks `probe` looks at (all checks
    /// when nil): how long an answer stays fresh, for `Cache-Control: max-age`. 0 when a check
    /// has no scheduled run (before `run()`).
    public func secondsUntilNextRun(now: Date, probe: HealthProbe? = nil) -> Int {
        let next: [Date?] = self.entries.withLock { entries in
            zip(self.checks, entries).compactMap { check, entry in
                if let probe, !probe.includes(check) { return nil }
                return .some(entry.nextRunAt)
            }
        }
        var soonest = Double.infinity
        for date in next {
            guard let date else { return 0 }
            soonest = min(soonest, date.timeIntervalSince(now))
        }
        guard soonest.isFinite else { return 0 }
        return Int(max(0, soonest).rounded(.down))
    }
}
