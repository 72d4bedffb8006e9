import Foundation
import KVMonitoring
import KVSnapshot
import Synchronization

/// The outcome of the latest snapshot writes: recorded by the service, read by its health check.
final class SnapshotStatus: Sendable {
    struct State: Sendable {
        var lastSuccess: Date?
        var lastFile: String?
        var lastError: String?
        var consecutiveFailures = 0
    }
    private let state = Mutex(State())
    let interval: Double
    let startedAt: Date

    init(intervalSeconds: Double, startedAt: Date = Date()) {
        interval = intervalSeconds
        self.startedAt = startedAt
    }

    var current: State { state.withLock { $0 } }

    func recordSuccess(file: String, at time: Date) {
        state.withLock { state in
            state.lastSuccess = time
            state.lastFile = file
            state.lastError = nil
            state.consecutiveFailures = 0
        }
    }

    /// Returns the failures in a row, this one included.
    func recordFailure(_ message: String) -> Int {
        state.withLock { state in
            state.lastError = message
            state.consecutiveFailures += 1
            return state.consecutiveFailures
        }
    }

    /// The health outcome: a failing writer or a stale archive is degraded, never fatal.
    func outcome(now: Date = Date()) -> HealthCheckOutcome {
        let state = current
        let staleAfter = max(3 * interval, interval + 5)
        var details: [String: HealthDetailValue] = ["consecutive_failures": .number(Double(state.consecutiveFailures))]
        if let file = state.lastFile { details["last_file"] = .string(file) }
        if let success = state.lastSuccess { details["seconds_since_last_success"] = .number((now.timeIntervalSince(success) * 1000).rounded() / 1000) }
        if state.consecutiveFailures > 0, let error = state.lastError {
            return .warn("snapshot writes failing (\(state.consecutiveFailures) in a row): \(error)", details: details)
        }
        guard let success = state.lastSuccess else {
            if now.timeIntervalSince(startedAt) < staleAfter { return .pass("waiting for the first snapshot", details: details) }
            return .warn("no snapshot written since start-up", details: details)
        }
        if now.timeIntervalSince(success) > staleAfter {
            return .warn("last snapshot is stale (\(Int(now.timeIntervalSince(success)))s old)", details: details)
        }
        return .pass("snapshots are being written", details: details)
    }
}
