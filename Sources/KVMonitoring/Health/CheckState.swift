import Foundation
import KVSnapshot

/// The effective health of one check over its run history: a value-type state machine with no
/// I/O and no clock (times are passed in).
///
/// Rules:
/// - A check that has never completed is `pending` and reports `unhealthy` ("no result yet"),
///   so readiness fails until its first pass.
/// - The first completed run decides directly: pass or warn → passing, fail → failing (a check
///   that has never passed is not healthy).
/// - While passing, a failed run only turns the check unhealthy once `thresholds.failure` runs
///   in a row have failed; until then it keeps its last non-failing status.
/// - While failing, it takes `thresholds.success` non-failing runs in a row to recover.
/// - Warn (`degraded`) counts as not failing: it resets the failure streak, counts towards
///   recovery, and shows as `degraded` at once whenever the check is passing.
///
/// Message, details, duration and time always describe the latest run; when the status lags
/// behind the latest run (a failure under the threshold, a pass before recovery) the message
/// says so.
public struct CheckState: Sendable, Equatable {
    /// How many runs in a row it takes to change between passing and failing.
    public struct Thresholds: Sendable, Equatable {
        /// Failed runs in a row before a passing check turns unhealthy (at least 1).
        public var failure: Int
        /// Non-failing runs in a row before a failing check recovers (at least 1).
        public var success: Int

        /// Creates thresholds; values below 1 count as 1. Defaults follow Kubernetes probes.
        public init(failure: Int = 3, success: Int = 1) {
            self.failure = max(1, failure)
            self.success = max(1, success)
        }
    }

    /// Where the check stands.
    public enum Phase: Sendable, Equatable {
        /// Never completed.
        case pending
        /// Counts as working: healthy or degraded.
        case passing
        /// Counts as failing: unhealthy.
        case failing
    }

    /// One completed run.
    public struct Run: Sendable, Equatable {
        public var outcome: HealthCheckOutcome
        public var duration: Duration
        public var finishedAt: Date
        /// `finishedAt` in RFC 3339, formatted once when recorded.
        public var time: String
    }

    /// A change of the effective status, returned by `record` so the caller can log or count it.
    public struct Change: Sendable, Equatable {
        public var from: HealthStatus
        public var to: HealthStatus
    }

    /// The message of a check that has never completed.
    public static let pendingMessage = "no result yet"

    public let thresholds: Thresholds
    public private(set) var phase: Phase = .pending
    /// Failed runs in a row.
    public private(set) var consecutiveFailures = 0
    /// Non-failing runs in a row.
    public private(set) var consecutiveSuccesses = 0
    /// The latest completed run, nil while pending.
    public private(set) var latest: Run?
    private var lastNonFailingStatus: HealthStatus = .healthy

    /// A pending check.
    public init(thresholds: Thresholds = Thresholds()) {
        self.thresholds = thresholds
    }

    /// The status probes and the aggregate see.
    public var effectiveStatus: HealthStatus {
        switch self.phase {
        case .pending, .failing: .unhealthy
        case .passing: self.lastNonFailingStatus
        }
    }

    /// Applies one completed run; returns the change of effective status, if any.
    @discardableResult
    public mutating func record(_ outcome: HealthCheckOutcome, duration: Duration, finishedAt: Date) -> Change? {
        let before = self.effectiveStatus
        self.latest = Run(outcome: outcome, duration: duration, finishedAt: finishedAt, time: HealthText.rfc3339(finishedAt))
        if outcome.status == .unhealthy {
            self.consecutiveFailures += 1
            self.consecutiveSuccesses = 0
            if self.phase == .pending || self.consecutiveFailures >= self.thresholds.failure {
                self.phase = .failing
            }
        } else {
            self.consecutiveSuccesses += 1
            self.consecutiveFailures = 0
            self.lastNonFailingStatus = outcome.status
            if self.phase == .pending || self.consecutiveSuccesses >= self.thresholds.success {
                self.phase = .passing
            }
        }
        let after = self.effectiveStatus
        return before == after ? nil : Change(from: before, to: after)
    }

    /// The message shown for the check: the latest run's, with a note when the status lags it.
    public var message: String {
        guard let latest = self.latest else { return Self.pendingMessage }
        switch (self.phase, latest.outcome.status) {
        case (.passing, .unhealthy):
            return "\(latest.outcome.message) (failure \(self.consecutiveFailures) of \(self.thresholds.failure) before unhealthy)"
        case (.failing, .healthy), (.failing, .degraded):
            return "\(latest.outcome.message) (pass \(self.consecutiveSuccesses) of \(self.thresholds.success) to recover)"
        default:
            return latest.outcome.message
        }
    }

    /// The report of this check as probes, snapshots and the dashboard see it.
    public func report(name: String, kind: String, critical: Bool) -> HealthCheckReport {
        HealthCheckReport(
            name: name,
            kind: kind,
            status: self.effectiveStatus,
            message: self.message,
            durationMilliseconds: self.latest.map { HealthText.milliseconds($0.duration) } ?? 0,
            details: self.latest?.outcome.details ?? [:],
            critical: critical,
            time: self.latest?.time,
            consecutiveFailures: self.consecutiveFailures
        )
    }
}
