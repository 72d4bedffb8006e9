import Foundation

/// One alert changing state, reported once: to log, and (firing, resolved) to notify.
public struct AlertTransition: Sendable, Equatable {
    /// What happened.
    public var change: AlertStateMachine.Change
    /// The rule's name (`alertname`).
    public var name: String
    public var severity: String
    public var summary: String
    public var description: String
    /// `alertname`, `severity` and the rule's own labels.
    public var labels: [String: String]
    /// The latest value while active; nil only if the rule never had one.
    public var value: Double?
    /// When the condition started to hold.
    public var activeSince: Date
    /// When the alert fired; nil for `pending` and `cancelled`.
    public var firedAt: Date?
    /// When this change happened (for `resolved`, the end of the alert).
    public var time: Date

    /// Creates a transition.
    public init(change: AlertStateMachine.Change, name: String, severity: String, summary: String, description: String,
                labels: [String: String], value: Double?, activeSince: Date, firedAt: Date?, time: Date) {
        self.change = change
        self.name = name
        self.severity = severity
        self.summary = summary
        self.description = description
        self.labels = labels
        self.value = value
        self.activeSince = activeSince
        self.firedAt = firedAt
        self.time = time
    }

    /// Whether receivers are told: firing and resolved are, pending and cancelled only logged.
    public var notifies: Bool { self.change == .firing || self.change == .resolved }
}
