import Foundation
import Testing
@testable import KVConfiguration

/// Every number a key holds (the value itself, the items of a list, a field of a list entry) has a range
/// with both ends: hostile values get the one-line error that names the key, values in the range load.
/// The places come from the key table, so a new numeric key is covered without touching this file.
@Suite struct NumericRangeTests {
    /// One number inside one key.
    struct Place: CustomTestStringConvertible, Sendable {
        let key: String
        /// The key's dedicated flag, which errors name as their source, if it has one.
        let flag: String?
        let field: NumericField
        /// The key as errors name the place: `alerts.webhooks[0].timeout_seconds`.
        var name: String { key + field.path }
        var testDescription: String { name }
    }

    static let places: [Place] = ConfigurationKey.all.flatMap { key in
        key.numericFields.map { Place(key: key.name, flag: key.flag, field: $0) }
    }

    static let hostileValues = [
        "1e16", "-1", "0", "0.0001", "NaN", "nan", "inf", "-inf", "Infinity", "", "1e300", "9999999999999999999",
        String(repeating: "9", count: 10_000), String(repeating: "x", count: 10_000),
    ]

    /// Whether `text` is allowed at `field`, from its declared range alone.
    static func isAllowed(_ text: String, at field: NumericField) -> Bool {
        if text.isEmpty { return field.allowsEmpty }
        return Double(text).map(field.range.contains) ?? false
    }

    /// The error of `--set key=...` with `number` at `place`; `nil` when it loads.
    static func failure(_ number: String, at place: Place) throws -> String? {
        try loadFailure(overrides: [place.key: place.field.value(number)])
    }

    static func expectRefused(_ number: String, at place: Place, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let message = try failure(number, at: place)
        let shown = number.count > 20 ? "\(number.prefix(20))… (\(number.count) characters)" : number
        guard let message else {
            Issue.record("\(place.name) accepted \(shown.debugDescription)", sourceLocation: sourceLocation)
            return
        }
        let source = place.flag.map { "command-line flag \($0)" } ?? "command line"
        #expect(message.hasPrefix(source + ": invalid value "), "\(message)", sourceLocation: sourceLocation)
        #expect(message.contains(" for \(place.name) (expected "), "\(message)", sourceLocation: sourceLocation)
        #expect(!message.contains("\n"), sourceLocation: sourceLocation)
        #expect(message.count < 1_000, "\(message.prefix(300))", sourceLocation: sourceLocation)
    }

    static func expectAccepted(_ number: String, at place: Place, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let message = try failure(number, at: place)
        #expect(message == nil, "\(place.name) refused \(number.debugDescription)", sourceLocation: sourceLocation)
    }

    @Test(arguments: places)
    func hostileValuesAreRefusedUnlessTheRangeAllowsThem(_ place: Place) throws {
        for value in Self.hostileValues {
            if Self.isAllowed(value, at: place.field) {
                try Self.expectAccepted(value, at: place)
            } else {
                try Self.expectRefused(value, at: place)
            }
        }
    }

    @Test(arguments: places)
    func bothEndsOfTheRangeLoadAndJustBeyondThemIsRefused(_ place: Place) throws {
        let range = place.field.range
        #expect(range.lowest.isFinite && range.highest.isFinite && range.lowest < range.highest)
        if range.excludesLowest {
            try Self.expectRefused(range.spell(range.lowest), at: place)
        } else {
            try Self.expectAccepted(range.spell(range.lowest), at: place)
            let below: Double
            if range.integersOnly {
                below = range.lowest - 1
            } else {
                below = range.lowest > 0 ? range.lowest / 2 : range.lowest - max(1, abs(range.lowest))
            }
            try Self.expectRefused(range.spell(below), at: place)
        }
        try Self.expectAccepted(range.spell(range.highest), at: place)
        try Self.expectRefused(range.spell(range.integersOnly ? range.highest + 1 : range.highest * 2), at: place)
    }

    @Test func everyValueInMillisecondsFitsInt64() {
        for place in Self.places {
            #expect(place.field.range.highest * 1000 < Double(Int64.max), "\(place.name)")
            #expect(place.field.range.lowest * 1000 > Double(Int64.min), "\(place.name)")
        }
    }

    @Test func everyKeyWithANumericDefaultHasARange() {
        let numeric = Set(Self.places.map(\.key))
        for key in ConfigurationKey.all {
            var text = key.render(KVStoreConfiguration())
            if let last = text.last, "smhd".contains(last) { text.removeLast() }  // durations: 7d
            let first = text.split(separator: ",").first.map { String($0).trimmingWhitespace() } ?? text
            if Double(first) != nil {
                #expect(numeric.contains(key.name), "\(key.name) has a numeric default but no range")
            }
        }
    }

    @Test func theTableCoversTheNumbersInsideListsToo() {
        let names = Set(Self.places.map(\.name))
        for name in [
            "health.interval_seconds", "snapshots.interval_seconds", "storage.sync_interval", "server.port",
            "security.request_timeout_seconds", "metrics.duration_buckets", "metrics.size_buckets", "metrics.port",
            "health.dependencies[0].timeout_seconds", "health.dependencies[0].expected_status",
            "alerts.rules[0].threshold", "alerts.rules[0].window", "alerts.rules[0].for",
            "alerts.webhooks[0].timeout_seconds", "alerts.webhooks[0].max_retries",
        ] {
            #expect(names.contains(name), "\(name)")
        }
    }
}
