/// One alert rule's value at a snapshot, whether its alert is active or not: what the rule tested
/// at that evaluation and the threshold it was tested against (the snapshot's `rule_values`), so
/// that a chart can show the value before the alert went pending too.
public struct AlertRuleValue: Codable, Sendable, Equatable {
    public var name: String
    public var value: Double
    public var threshold: Double

    public init(name: String, value: Double, threshold: Double) {
        self.name = name
        self.value = value
        self.threshold = threshold
    }
}
