import KVSnapshot

/// The `ttl` of a put, on `PUT /api/v1/kv/{key}?ttl=` and in transactions: a duration
/// `^(([0-9]+(\.[0-9]+)?[smhdw])+|[0-9]+(\.[0-9]+)?)$` (bare digits are seconds), at most 64
/// characters, from 1 s to 3650 days: `30s`, `1h30m`, `1.5d`, `90`. Valued by `DurationSyntax`
/// (s, m, h, d, w). The OpenAPI document's `TTL` is its syntax.
enum TTLSyntax {
    static let maxLength = 64
    /// The shortest and longest TTL, in seconds.
    static let range: ClosedRange<Double> = 1...(3650 * 86_400)
    /// What a valid `ttl` is, for error messages.
    static let rule = "ttl must be a duration from 1s to 3650d, such as 30s, 15m, 1h30m, 7d or a number of seconds"

    static func seconds(_ text: String) -> Double? {
        guard text.utf8.count <= maxLength, isWellFormed(Array(text.utf8)),
              let seconds = DurationSyntax.seconds(text, allowsBareSeconds: true), range.contains(seconds) else { return nil }
        return seconds
    }

    private static func isWellFormed(_ bytes: [UInt8]) -> Bool {
        var index = 0
        func digits() -> Bool {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index > start
        }
        func number() -> Bool {
            guard digits() else { return false }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                return digits()
            }
            return true
        }
        guard number() else { return false }
        if index == bytes.count { return true }  // bare seconds
        while true {
            guard index < bytes.count, Array("smhdw".utf8).contains(bytes[index]) else { return false }
            index += 1
            if index == bytes.count { return true }
            guard number() else { return false }
        }
    }
}
