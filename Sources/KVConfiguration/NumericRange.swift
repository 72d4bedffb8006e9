/// The numbers a numeric setting allows: finite, from `lowest` to `highest`.
///
/// Every numeric setting is bounded at both ends, so that no value that loads can overflow when the
/// server turns it into milliseconds or nanoseconds.
struct NumericRange: Sendable, Equatable {
    var lowest: Double
    var highest: Double
    /// Whether `lowest` itself is not allowed ("greater than 0").
    var excludesLowest = false
    /// Whether only whole numbers are allowed.
    var integersOnly = false

    /// Whether `value` is allowed.
    func contains(_ value: Double) -> Bool {
        value.isFinite && (excludesLowest ? value > lowest : value >= lowest) && value <= highest
            && (!integersOnly || value == value.rounded())
    }

    /// `value` as a source would spell it: `86400`, `0.01`, `1125899906842624`.
    func spell(_ value: Double) -> String {
        integersOnly ? String(Int(value)) : formatNumber(value)
    }
}

extension NumericRange {
    /// Whole numbers in `range`.
    static func integers(_ range: ClosedRange<Int>) -> Self {
        Self(lowest: Double(range.lowerBound), highest: Double(range.upperBound), integersOnly: true)
    }

    /// Intervals and timeouts: 0.01 seconds to 1 day.
    static let seconds = Self(lowest: 0.01, highest: 86_400)

    /// The most bytes a byte count may be: 1 PiB.
    static let maximumBytes = 1 << 50
}

/// A number inside a setting's value, and what it allows; tests feed hostile numbers to each one.
struct NumericField: Sendable {
    /// Where the number sits, after the key, as errors name it: "" for the value itself, `[0].timeout_seconds`
    /// for a field of a list entry.
    let path: String
    let range: NumericRange
    /// Whether an empty value is allowed too (none, or the default).
    let allowsEmpty: Bool
    /// The setting's value with `number` in this place, as a flag or an environment variable spells it.
    let value: @Sendable (_ number: String) -> String

    init(path: String = "", range: NumericRange, allowsEmpty: Bool = false,
         value: @escaping @Sendable (_ number: String) -> String = { $0 }) {
        self.path = path
        self.range = range
        self.allowsEmpty = allowsEmpty
        self.value = value
    }
}

extension NumericField {
    /// The numbers of `parser` as the field `name` of the only entry of a mapping list whose other fields
    /// are `entry` (JSON members).
    static func inListEntry<Value>(
        _ name: String,
        _ parser: ValueParser<Value>,
        entry: [(String, String)]
    ) -> [NumericField] {
        parser.numericFields.map { field in
            NumericField(path: "[0]." + name + field.path, range: field.range, allowsEmpty: field.allowsEmpty) { number in
                "[" + jsonObject(entry + [(name, jsonString(field.value(number)))]) + "]"
            }
        }
    }
}
