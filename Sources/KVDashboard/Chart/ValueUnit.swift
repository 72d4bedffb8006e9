/// How a series' base-unit values are shown: a factor and a unit suffix.
public struct ValueUnit: Sendable, Equatable {
    /// Multiplies the base value (seconds → ms: 1000).
    public var factor: Double
    /// Shown after numbers and on the axis (`req/s`, `%`, `ms`, `MiB`, `keys`).
    public var symbol: String
    /// Whether the symbol follows the number without a space (`%`).
    public var attached: Bool

    public init(factor: Double, symbol: String, attached: Bool = false) {
        self.factor = factor
        self.symbol = symbol
        self.attached = attached
    }

    public static let requestsPerSecond = ValueUnit(factor: 1, symbol: "req/s")
    public static let percent = ValueUnit(factor: 100, symbol: "%", attached: true)
    public static let milliseconds = ValueUnit(factor: 1000, symbol: "ms")
    public static let mebibytes = ValueUnit(factor: 1.0 / 1_048_576, symbol: "MiB")
    public static let threads = ValueUnit(factor: 1, symbol: "threads")
    public static let keys = ValueUnit(factor: 1, symbol: "keys")
    public static let operationsPerSecond = ValueUnit(factor: 1, symbol: "ops/s")
    public static let writesPerCommit = ValueUnit(factor: 1, symbol: "writes")
    /// A value as the alert rule tested it, in its own unit (a ratio, seconds, bytes): no symbol.
    public static let plain = ValueUnit(factor: 1, symbol: "", attached: true)

    /// `value` (base unit) in this unit with three significant digits and the symbol: `12.3 ms`.
    public func format(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        return NumberText.significant(value * factor) + (attached ? "" : " ") + symbol
    }
}
