/// Turns a ``RawSetting`` into a typed value, and a typed value back into text for references.
struct ValueParser<Value: Sendable>: Sendable {
    /// What is allowed, as it reads after "expected" in an error message.
    let expected: String
    /// The value, or the problem with `raw`.
    private let parseRaw: @Sendable (RawSetting) throws(ValueProblem) -> Value
    /// The value as a reference or a config file would spell it.
    let render: @Sendable (Value) -> String
    /// The numbers inside the value and their ranges; empty for a value without numbers.
    private(set) var numericFields: [NumericField] = []

    /// A parser whose `convert` returns `nil` for a value that is not allowed.
    init(
        expected: String,
        convert: @escaping @Sendable (RawSetting) -> Value?,
        render: @escaping @Sendable (Value) -> String
    ) {
        self.expected = expected
        self.parseRaw = { raw throws(ValueProblem) in
            guard let value = convert(raw) else { throw ValueProblem(value: raw.display, expected: expected) }
            return value
        }
        self.render = render
    }

    /// A parser that reports its own problems, e.g. for one element of a structured value.
    init(
        expected: String,
        parse: @escaping @Sendable (RawSetting) throws(ValueProblem) -> Value,
        render: @escaping @Sendable (Value) -> String
    ) {
        self.expected = expected
        self.parseRaw = parse
        self.render = render
    }

    func parse(_ raw: RawSetting) throws(ValueProblem) -> Value {
        try parseRaw(raw)
    }

    /// The same parser, with `fields` as the numbers inside its value.
    func withNumericFields(_ fields: [NumericField]) -> Self {
        var parser = self
        parser.numericFields = fields
        return parser
    }
}

extension RawSetting {
    /// The text of a scalar, trimmed; `nil` for anything else.
    var trimmedText: String? {
        guard case .text(let text) = self else { return nil }
        return text.trimmingWhitespace()
    }
}

extension ValueParser where Value == Int {
    /// An integer in `range`; underscores may group digits (`1_000`).
    static func integer(_ range: ClosedRange<Int>, expected: String) -> Self {
        Self(expected: expected) { raw in
            raw.trimmedText.flatMap(parseInteger).flatMap { range.contains($0) ? $0 : nil }
        } render: { String($0) }
        .withNumericFields([NumericField(range: .integers(range))])
    }

    static func integer(from minimum: Int, to maximum: Int) -> Self {
        integer(minimum...maximum, expected: "an integer from \(minimum) to \(maximum)")
    }

    /// A byte count in `range`: an integer, optionally with a KiB, MiB, GiB or TiB suffix.
    static func bytes(_ range: ClosedRange<Int>, expected: String) -> Self {
        Self(expected: expected + "; a KiB, MiB, GiB or TiB suffix is allowed") { raw in
            raw.trimmedText.flatMap(parseByteCount).flatMap { range.contains($0) ? $0 : nil }
        } render: { String($0) }
        .withNumericFields([NumericField(range: .integers(range))])
    }

    private static func parseInteger(_ text: String) -> Int? {
        guard !text.hasPrefix("_"), !text.hasSuffix("_") else { return nil }
        return Int(text.filter { $0 != "_" })
    }

    private static func parseByteCount(_ text: String) -> Int? {
        let units: [(suffix: String, shift: Int)] = [("kib", 10), ("mib", 20), ("gib", 30), ("tib", 40)]
        for unit in units where text.lowercased().hasSuffix(unit.suffix) {
            let number = String(text.dropLast(unit.suffix.count)).trimmingWhitespace()
            guard let count = parseInteger(number), count >= 0 else { return nil }
            let (value, overflow) = count.multipliedReportingOverflow(by: 1 << unit.shift)
            return overflow ? nil : value
        }
        return parseInteger(text)
    }
}

extension ValueParser where Value == Int? {
    /// A TCP port in `range`, or none: YAML null, an empty string or `none`.
    static func optionalPort(_ range: ClosedRange<Int>) -> Self {
        Self(expected: "an integer from \(range.lowerBound) to \(range.upperBound), or none") { raw -> Int?? in
            if raw == .null { return .some(nil) }
            guard let text = raw.trimmedText else { return nil }
            if text.isEmpty || ["none", "null"].contains(text.lowercased()) { return .some(nil) }
            guard let port = Int(text), range.contains(port) else { return nil }
            return .some(port)
        } render: { $0.map(String.init) ?? "none" }
        .withNumericFields([NumericField(range: .integers(range), allowsEmpty: true)])
    }
}

extension ValueParser where Value == Double {
    /// A number in `range`; `expected` says what is allowed, range included.
    static func number(_ range: NumericRange, expected: String) -> Self {
        Self(expected: expected) { raw in
            raw.trimmedText.flatMap(finite).flatMap { range.contains($0) ? $0 : nil }
        } render: { formatNumber($0) }
        .withNumericFields([NumericField(range: range)])
    }

    /// A number in `lower <.. upper`.
    static func number(greaterThan lower: Double, atMost upper: Double) -> Self {
        number(
            NumericRange(lowest: lower, highest: upper, excludesLowest: true),
            expected: "a number greater than \(formatNumber(lower)) and at most \(formatNumber(upper))"
        )
    }

    /// An interval or a timeout: a number of seconds from 0.01 to 86400 (1 day).
    static var seconds: Self {
        let range = NumericRange.seconds
        return number(
            range,
            expected: "a number of seconds from \(formatNumber(range.lowest)) to \(formatNumber(range.highest)) (1 day)"
        )
    }

    /// A duration from `lowest` to `highest` seconds: a number of seconds, optionally with the unit
    /// `s`, `m`, `h` or `d`.
    static func duration(from lowest: Double, to highest: Double) -> Self {
        let range = NumericRange(lowest: lowest, highest: highest)
        let renderDuration: @Sendable (Double) -> String = { seconds in
            // The largest unit that spells the value exactly: 604800 is `7d`, 5400 is `90m`.
            for unit in durationUnits.reversed() where unit.seconds > 1 {
                let count = seconds / unit.seconds
                if count >= 1, count == count.rounded(), count * unit.seconds == seconds {
                    return formatNumber(count) + String(unit.suffix)
                }
            }
            return formatNumber(seconds) + "s"
        }
        let bounds = "from \(renderDuration(lowest)) to \(renderDuration(highest))"
        return Self(expected: "a duration \(bounds): seconds, or a number with the unit s, m, h or d (90m, 36h, 7d)") { raw in
            raw.trimmedText.flatMap(durationParts).flatMap { range.contains($0.seconds) ? $0.seconds : nil }
        } render: { renderDuration($0) }
        .withNumericFields([NumericField(range: range)])
    }

    /// `text` read as a duration: its number, its unit (`s` for bare seconds) and its length in seconds;
    /// nil unless it is a finite number, optionally followed by one of the units s, m, h or d.
    static func durationParts(_ text: String) -> (count: Double, unit: Character, seconds: Double)? {
        let text = text.lowercased()
        guard let last = text.last else { return nil }
        var number = text
        var unit: (suffix: Character, seconds: Double) = ("s", 1)
        if let suffix = durationUnits.first(where: { $0.suffix == last }) {
            number = String(text.dropLast()).trimmingWhitespace()
            unit = suffix
        }
        guard let count = finite(number) else { return nil }
        return (count, unit.suffix, count * unit.seconds)
    }

    private static var durationUnits: [(suffix: Character, seconds: Double)] {
        [("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
    }
}

extension ValueParser where Value == [Double] {
    /// A non-empty list of at most `maximumCount` numbers in `range`, in strictly increasing order; a YAML
    /// sequence, or one string of comma-separated numbers.
    static func increasingNumbers(_ range: NumericRange, maximumCount: Int = 100) -> Self {
        let bounds = "from \(range.spell(range.lowest)) to \(range.spell(range.highest))"
        return Self(expected: "a non-empty list of at most \(maximumCount) numbers \(bounds) in strictly increasing order") { raw in
            let items: [String]
            switch raw {
            case .list(let list): items = list
            case .text(let text): items = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            case .null, .sequence, .mapping, .unsupported: return nil
            }
            guard items.count <= maximumCount else { return nil }
            var values: [Double] = []
            for item in items {
                guard let value = finite(item.trimmingWhitespace()), range.contains(value),
                    values.last.map({ $0 < value }) ?? true
                else { return nil }
                values.append(value)
            }
            return values.isEmpty ? nil : values
        } render: { $0.map(formatNumber).joined(separator: ", ") }
        .withNumericFields([NumericField(range: range)])
    }
}

extension ValueParser where Value == Bool {
    /// `true` or `false`; `yes`/`no`, `on`/`off` and `1`/`0` are accepted too, in any case.
    static var boolean: Self {
        Self(expected: "true or false") { raw in
            switch raw.trimmedText?.lowercased() {
            case "true", "yes", "on", "1": true
            case "false", "no", "off", "0": false
            default: nil
            }
        } render: { String($0) }
    }
}

extension ValueParser where Value == String {
    /// Any non-empty string; with `allowsWhitespace` false, one without spaces or line breaks.
    static func nonEmptyString(allowsWhitespace: Bool, expected: String) -> Self {
        Self(expected: expected) { raw in
            guard case .text(let text) = raw, !text.isEmpty,
                allowsWhitespace || !text.contains(where: \.isWhitespace)
            else { return nil }
            return text
        } render: { $0 }
    }
}

extension ValueParser where Value == String {
    /// A name that is safe in file names, URLs and metric labels: 1 to 64 characters from `[A-Za-z0-9._-]`.
    static var identifier: Self {
        let maximum = KVStoreConfiguration.Node.maximumIDLength
        return Self(expected: "a name of 1 to \(maximum) characters, each a letter A-Z or a-z, a digit 0-9, '.', '_' or '-'") {
            raw in
            guard case .text(let text) = raw, KVStoreConfiguration.Node.isValidID(text) else { return nil }
            return text
        } render: { $0 }
    }
}

extension ValueParser where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
    /// One of the enum's raw values, in any case.
    static var oneOf: Self {
        Self(expected: "one of " + Value.allCases.map(\.rawValue).joined(separator: ", ")) { raw in
            raw.trimmedText.flatMap { Value(rawValue: $0.lowercased()) }
        } render: { $0.rawValue }
    }
}

/// A finite number, or `nil`.
func finite(_ text: String) -> Double? {
    guard let value = Double(text), value.isFinite else { return nil }
    return value
}

/// A number as a person writes it: `1` rather than `1.0`.
func formatNumber(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return "\(value)"
}
