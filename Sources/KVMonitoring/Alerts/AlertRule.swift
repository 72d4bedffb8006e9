import KVSnapshot

/// One built-in alert rule: a condition on the values a snapshot holds, how long it must hold
/// before the alert fires, and the words that describe it.
public struct AlertRule: Sendable, Equatable {
    /// What the rule looks at: the shared ``AlertKind``.
    public typealias Kind = AlertKind

    /// The alert's name (`alertname`); unique among the rules.
    public var name: String
    public var kind: Kind
    /// `critical`, `warning` or `info`.
    public var severity: String
    public var threshold: Double
    /// The look-back of `errorRatio` and `latencyP99`; unused by the other kinds.
    public var window: Duration
    /// How long the condition must hold before the alert fires; zero fires at once.
    public var forDuration: Duration
    public var summary: String
    public var description: String

    /// Creates a rule.
    public init(name: String, kind: Kind, severity: String = "warning", threshold: Double = 0, window: Duration = .seconds(300),
                forDuration: Duration = .seconds(60), summary: String, description: String = "") {
        self.name = name
        self.kind = kind
        self.severity = severity
        self.threshold = threshold
        self.window = window
        self.forDuration = forDuration
        self.summary = summary
        self.description = description
    }

    /// Whether the rule looks back over `window` (and so needs history).
    var usesWindow: Bool { self.kind == .errorRatio || self.kind == .latencyP99 }
}
