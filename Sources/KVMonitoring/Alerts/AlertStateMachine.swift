import Foundation

/// The life of one rule's alert: inactive → pending → firing → inactive again (resolved).
///
/// A value type fed one condition per evaluation; each change of state is returned once, as an
/// action for the caller to log and notify.
public struct AlertStateMachine: Sendable, Equatable {
    /// Where the alert is.
    public enum State: Sendable, Equatable {
        case inactive
        /// The condition holds since `since`, not yet for the rule's `for` duration.
        case pending(since: Date)
        /// The condition has held since `since` and the alert fired at `firedAt`.
        case firing(since: Date, firedAt: Date)
    }

    /// A change of state, returned exactly once.
    public enum Change: String, Sendable, Equatable {
        /// inactive → pending.
        case pending
        /// pending (or inactive, with `for` zero) → firing.
        case firing
        /// firing → inactive.
        case resolved
        /// pending → inactive: the condition stopped before `for` elapsed (nothing was notified).
        case cancelled
    }

    /// How long the condition must hold before firing.
    public let forDuration: Duration
    public private(set) var state: State = .inactive
    /// The value of the latest evaluation while active (the last active one after resolving).
    public private(set) var value: Double?
    /// The rule's labels: updated while pending, kept from the moment of firing until resolved.
    public private(set) var labels: [String: String] = [:]

    /// Creates an inactive machine.
    public init(forDuration: Duration) {
        self.forDuration = forDuration
    }

    /// Feeds one evaluation at `time` and returns the change it caused, if any.
    public mutating func update(_ condition: AlertCondition, at time: Date) -> Change? {
        switch (self.state, condition.holds) {
        case (.inactive, false):
            return nil
        case (.inactive, true):
            self.record(condition, updatingLabels: true)
            if self.forDuration <= .zero {
                self.state = .firing(since: time, firedAt: time)
                return .firing
            }
            self.state = .pending(since: time)
            return .pending
        case (.pending(let since), true):
            self.record(condition, updatingLabels: true)
            guard time.timeIntervalSince(since) >= self.forDuration.alertSeconds else { return nil }
            self.state = .firing(since: since, firedAt: time)
            return .firing
        case (.pending, false):
            self.state = .inactive
            return .cancelled
        case (.firing, true):
            self.record(condition, updatingLabels: false)
            return nil
        case (.firing, false):
            self.state = .inactive
            return .resolved
        }
    }

    private mutating func record(_ condition: AlertCondition, updatingLabels: Bool) {
        self.value = condition.value
        if updatingLabels { self.labels = condition.labels }
    }
}
