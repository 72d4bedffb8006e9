import Foundation

/// Locale-independent number formatting for charts and pages.
enum NumberText {
    /// `value` with exactly `decimals` places (`-0` shown as `0`); "–" for NaN or infinity.
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "–" }
        let text = String(format: "%.\(max(0, min(decimals, 12)))f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            return String(text.dropFirst())
        }
        return text
    }

    /// Three significant digits for magnitudes below 100, whole numbers above
    /// (`0.123`, `1.23`, `12.3`, `123`, `12345`).
    static func significant(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        let magnitude = abs(value)
        let decimals = magnitude >= 100 || magnitude == 0 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3
        return fixed(value, decimals: decimals)
    }

    /// A whole number with thin-space-free comma grouping: `1,234,567`.
    static func grouped(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        let whole = Int64(value.rounded())
        let digits = String(abs(whole))
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (whole < 0 ? "-" : "") + groups.joined(separator: ",")
    }
}
