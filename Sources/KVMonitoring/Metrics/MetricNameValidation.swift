/// Checks of metric and label names against the Prometheus data model.
enum MetricNameValidation {
    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`
    static func isValidMetricName(_ name: String) -> Bool {
        Self.matches(name, allowColon: true)
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with the reserved `__`.
    static func isValidLabelName(_ name: String) -> Bool {
        Self.matches(name, allowColon: false) && !name.hasPrefix("__")
    }

    /// Replaces every character not allowed in a name with `_` (for swift-metrics labels).
    static func sanitized(_ raw: String, allowColon: Bool) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(raw.utf8.count)
        for (index, byte) in raw.utf8.enumerated() {
            let ok = Self.isAllowed(byte, first: index == 0, allowColon: allowColon)
            bytes.append(ok ? byte : UInt8(ascii: "_"))
        }
        if bytes.isEmpty { return "_" }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func matches(_ name: String, allowColon: Bool) -> Bool {
        guard !name.isEmpty else { return false }
        for (index, byte) in name.utf8.enumerated() where !Self.isAllowed(byte, first: index == 0, allowColon: allowColon) {
            return false
        }
        return true
    }

    private static func isAllowed(_ byte: UInt8, first: Bool, allowColon: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
            return true
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return !first
        case UInt8(ascii: ":"):
            return allowColon
        default:
            return false
        }
    }
}
