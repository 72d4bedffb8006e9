import Foundation

/// The inside of a JSON string literal, for the hand-written JSON of log lines, API answers and
/// error bodies: quotes, backslashes and control characters escaped.
enum JSONString {
    static func escaped(_ value: String) -> String {
        // Most values (keys, ids) need nothing escaped: one pass over the bytes, and the value itself.
        guard value.utf8.contains(where: needsEscape) else { return value }
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Whether a UTF-8 byte starts something ``escaped(_:)`` rewrites (bytes of 0x80 and up, in
    /// multi-byte scalars, are kept as they are).
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F
    }
}
