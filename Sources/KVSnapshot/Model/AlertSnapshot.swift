/// An alert that is pending or firing, as recorded in a snapshot.
public struct AlertSnapshot: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable { case pending, firing }
    public var name: String
    public var severity: String
    public var state: State
    /// When the condition first held (RFC 3339, UTC).
    public var activeSince: String
    /// The value that triggered it.
    public var value: Double
    /// The rule's threshold the value was tested against, when the rule has one (written since the
    /// dashboard draws it beside the value; older snapshots have none).
    public var threshold: Double?
    public var summary: String
    public var description: String
    public var labels: [String: String]

    public init(name: String, severity: String, state: State, activeSince: String, value: Double, threshold: Double? = nil,
                summary: String, description: String, labels: [String: String] = [:]) {
        self.name = name
        self.severity = severity
        self.state = state
        self.activeSince = activeSince
        self.value = value
        self.threshold = threshold
        self.summary = summary
        self.description = description
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey {
        case name, severity, state, value, threshold, summary, description, labels
        case activeSince = "active_since"
    }
}
