/// What one rule found in one observation: the value it computed and whether the condition holds.
public struct AlertCondition: Sendable, Equatable {
    /// The computed value (a ratio, seconds, a status rank, a count); nil when there was no data.
    public var value: Double?
    /// Whether the rule's condition holds; never true without a value.
    public var holds: Bool
    /// Labels the rule adds to its alert (`check` for `criticalCheck`).
    public var labels: [String: String]

    /// Creates a result; `holds` is forced false when `value` is nil.
    public init(value: Double?, holds: Bool, labels: [String: String] = [:]) {
        self.value = value
        self.holds = value != nil && holds
        self.labels = labels
    }

    /// No data: nothing to compare, so the condition does not hold.
    public static let noData = AlertCondition(value: nil, holds: false)
}
