import Foundation
import KVSnapshot
import Logging
import Synchronization

extension HealthMonitor {
    /// Runs every check on its own interval until the calling task is cancelled, then returns
    /// (also with no checks, so a service wrapping it does not end early).
    ///
    /// Each loop starts with a run; intervals under 10 ms count as 10 ms. A run that outlives its timeout is recorded as failed
    /// ("timeout after 2s") and left to finish on its own; while it is still running, the
    /// check is not started again and each due run is recorded as a timeout too.
    public func run() async {
        await self.runLoops(clock: self.clock)
    }

    /// Runs every check once, concurrently, and returns when each has finished or timed out.
    ///
    /// Meant for start-up (before `run()`) and tests: a check still running from another call
    /// is not started again and is recorded as timing out.
    public func runAllOnce() async {
        await self.runAllOnce(clock: self.clock)
    }

    private func runLoops<C: Clock>(clock: C) async where C.Duration == Duration {
        guard !self.checks.isEmpty else {
            while !Task.isCancelled {
                try? await clock.sleep(for: .seconds(3600))
            }
            return
        }
        await withDiscardingTaskGroup { group in
            for index in self.checks.indices {
                group.addTask { await self.loop(index, clock: clock) }
            }
        }
    }

    private func runAllOnce<C: Clock>(clock: C) async where C.Duration == Duration {
        await withDiscardingTaskGroup { group in
            for index in self.checks.indices {
                group.addTask { await self.runOnce(index, clock: clock) }
            }
        }
    }

    private func loop<C: Clock>(_ index: Int, clock: C) async where C.Duration == Duration {
        let interval = max(self.checks[index].interval, .milliseconds(10))
        while !Task.isCancelled {
            let start = clock.now
            let next = self.wallClock().addingTimeInterval(HealthText.seconds(interval))
            self.entries.withLock { $0[index].nextRunAt = next }
            await self.runOnce(index, clock: clock)
            do {
                try await clock.sleep(until: start.advanced(by: interval), tolerance: nil)
            } catch {
                return
            }
        }
    }

    func runOnce<C: Clock>(_ index: Int, clock: C) async where C.Duration == Duration {
        let check = self.checks[index]
        let alreadyRunning = self.entries.withLock { entries in
            if entries[index].inFlight { return true }
            entries[index].inFlight = true
            return false
        }
        let timeoutDetails: [String: HealthDetailValue] = ["timeout_seconds": .number(HealthText.seconds(check.timeout))]
        if alreadyRunning {
            let message = "timeout after \(HealthText.text(check.timeout)) (previous run still in progress)"
            self.record(index, .fail(message, details: timeoutDetails), duration: check.timeout, observe: false)
            return
        }
        let result = await HealthCheckRace.run(check, clock: clock) {
            self.entries.withLock { $0[index].inFlight = false }
        }
        switch result {
        case .finished(let outcome, let duration):
            self.record(index, outcome, duration: duration, observe: true)
        case .timedOut:
            let message = "timeout after \(HealthText.text(check.timeout))"
            self.record(index, .fail(message, details: timeoutDetails), duration: check.timeout, observe: true)
        case .cancelled:
            return
        }
    }

    private func record(_ index: Int, _ outcome: HealthCheckOutcome, duration: Duration, observe: Bool) {
        let check = self.checks[index]
        let finishedAt = self.wallClock()
        let (change, status, overall) = self.entries.withLock { entries in
            let change = entries[index].state.record(outcome, duration: duration, finishedAt: finishedAt)
            let reports = zip(self.checks, entries).map { check, entry in
                HealthCheckReport(
                    name: check.name, kind: check.kind, status: entry.state.effectiveStatus, message: "",
                    durationMilliseconds: 0, critical: check.critical, time: nil
                )
            }
            return (change, entries[index].state.effectiveStatus, HealthAggregator.status(of: reports))
        }
        self.recordedResults.wrappingAdd(1, ordering: .releasing)
        if let metrics = self.metrics {
            if observe { metrics.observeDuration(of: check.name, duration) }
            metrics.recordCheck(check.name, status: status)
            metrics.recordOverall(overall)
        }
        if let change {
            self.logger.log(
                level: change.to == .unhealthy ? .warning : .notice,
                "health check \(check.name) is now \(change.to.rawValue)",
                metadata: [
                    "check": "\(check.name)", "from": "\(change.from.rawValue)", "to": "\(change.to.rawValue)",
                    "message": "\(outcome.message)", "overall": "\(overall.rawValue)",
                ]
            )
        }
    }
}
