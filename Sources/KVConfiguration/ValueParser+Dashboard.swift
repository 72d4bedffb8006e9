import Foundation

extension KVStoreConfiguration.Dashboard {
    /// Whether `identifier` names a time zone this system knows (an IANA name such as `Europe/Paris`, or `UTC`).
    public static func isValidTimeZone(_ identifier: String) -> Bool {
        !identifier.isEmpty && TimeZone(identifier: identifier) != nil
    }
}

extension ValueParser where Value == String {
    /// An IANA time zone name that `TimeZone(identifier:)` knows.
    static var timeZone: Self {
        Self(expected: "an IANA time zone name such as UTC, Europe/Paris or America/New_York") { raw in
            raw.trimmedText.flatMap { KVStoreConfiguration.Dashboard.isValidTimeZone($0) ? $0 : nil }
        } render: { $0 }
    }
}

extension ValueParser where Value == [KVStoreConfiguration.Dashboard.Range] {
    /// `dashboard.ranges`: 1 to 8 distinct durations, as a YAML sequence or one comma-separated string;
    /// each named by its number and unit as written (`24h`; bare seconds get `s`).
    static var dashboardRanges: Self {
        typealias Range = KVStoreConfiguration.Dashboard.Range
        let element = ValueParser<Double>.duration(from: Range.allowedSeconds.lowerBound, to: Range.allowedSeconds.upperBound)
        let expected = "a list of 1 to \(Range.maximumCount) different durations, each "
            + element.expected.dropFirst("a duration ".count)
        return Self(expected: expected, parse: { raw throws(ValueProblem) in
            let items: [String]
            switch raw {
            case .list(let list): items = list
            case .text(let text): items = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            case .null, .sequence, .mapping, .unsupported: throw ValueProblem(value: raw.display, expected: expected)
            }
            guard (1...Range.maximumCount).contains(items.count) else { throw ValueProblem(value: raw.display, expected: expected) }
            var ranges: [Range] = []
            for (index, item) in items.enumerated() {
                let text = item.trimmingWhitespace()
                guard let parts = ValueParser<Double>.durationParts(text), Range.allowedSeconds.contains(parts.seconds) else {
                    throw ValueProblem(value: RawSetting.text(text).display, expected: element.expected).nested(in: "[\(index)]", line: nil)
                }
                guard !ranges.contains(where: { $0.seconds == parts.seconds }) else {
                    throw ValueProblem(value: RawSetting.text(text).display, expected: "a duration the list does not have yet")
                        .nested(in: "[\(index)]", line: nil)
                }
                ranges.append(Range(name: formatNumber(parts.count) + String(parts.unit), seconds: parts.seconds))
            }
            return ranges
        }, render: { $0.map(\.name).joined(separator: ", ") })
        .withNumericFields([NumericField(path: "[0]", range: NumericRange(lowest: Range.allowedSeconds.lowerBound, highest: Range.allowedSeconds.upperBound))])
    }
}
