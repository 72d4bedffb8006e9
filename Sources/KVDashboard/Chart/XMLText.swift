/// Text made safe for XML 1.0: characters XML forbids are dropped.
enum XMLText {
    /// Whether XML 1.0 allows `scalar` in a document (`Char` production).
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// `text` without the characters XML 1.0 forbids (C0 controls other than tab, line feed and
    /// carriage return; U+FFFE and U+FFFF).
    static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !isAllowed($0) }) else { return text }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: text.unicodeScalars.lazy.filter(isAllowed))
        return String(result)
    }
}
