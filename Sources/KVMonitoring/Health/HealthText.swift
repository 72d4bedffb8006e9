import Foundation

/// Text forms of times, durations and sizes used in health reports and messages.
public enum HealthText {
    private static let rfc3339Style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// RFC 3339, UTC, milliseconds: `2026-11-29T01:02:03.456Z`.
    static func rfc3339(_ date: Date) -> String {
        date.formatted(self.rfc3339Style)
    }

    /// Seconds as a Double.
    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }

    /// Milliseconds, rounded to microseconds.
    static func milliseconds(_ duration: Duration) -> Double {
        (self.seconds(duration) * 1_000_000).rounded() / 1000
    }

    /// A short human form: `2s`, `1.5s`, `250ms`, `0.5ms`.
    public static func text(_ duration: Duration) -> String {
        let seconds = self.seconds(duration)
        if seconds >= 1 { return "\(self.number(seconds, decimals: 3))s" }
        return "\(self.number(seconds * 1000, decimals: 3))ms"
    }

    /// A size in binary units with at most one decimal: `512 B`, `950 MiB`, `1.5 GiB`.
    static func bytes(_ value: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var scaled = value
        var unit = 0
        while abs(scaled) >= 1024, unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        return "\(self.number(scaled, decimals: 1)) \(units[unit])"
    }

    /// A ratio as a whole percentage: `93%`.
    static func percent(_ ratio: Double) -> String {
        guard ratio.isFinite else { return "\(ratio)" }
        return "\(Int((ratio * 100).rounded()))%"
    }

    /// A number rounded to `decimals`, without a trailing `.0`.
    static func number(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        let scale = pow(10, Double(decimals))
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
        return String(rounded)
    }
}
