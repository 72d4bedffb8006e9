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
