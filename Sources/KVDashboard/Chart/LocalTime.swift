import Foundation

/// Wall-clock times in one time zone, formatted without locale surprises.
public struct LocalTime: Sendable {
    /// The zone times are shown in.
    public let timeZone: TimeZone
    private let calendar: Calendar
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// Seconds to add to UTC to get local wall-clock time at `time` (seconds since 1970).
    public func offset(at time: Double) -> Double {
        Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: time)))
    }

    /// The local midnight at or before `time`.
    public func startOfDay(_ time: Double) -> Double {
        calendar.startOfDay(for: Date(timeIntervalSince1970: time)).timeIntervalSince1970
    }

    /// `time` plus `days` calendar days (keeps the wall-clock time across DST changes).
    public func adding(days: Int, to time: Double) -> Double {
        calendar.date(byAdding: .day, value: days, to: Date(timeIntervalSince1970: time))?.timeIntervalSince1970
            ?? time + Double(days) * 86_400
    }

    /// `2026-11-29 02:03:04 +01:00`.
    public func full(_ time: Double) -> String {
        let c = parts(time)
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2)) \(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2)) "
            + offsetText(at: time)
    }

    /// `+01:00`, or `Z` for UTC.
    public func offsetText(at time: Double) -> String {
        let seconds = Int(offset(at: time))
        if seconds == 0 { return "+00:00" }
        let sign = seconds < 0 ? "-" : "+"
        return "\(sign)\(pad(abs(seconds) / 3600, 2)):\(pad(abs(seconds) / 60 % 60, 2))"
    }

    /// `14:05` (with seconds when `seconds` is true).
    public func clock(_ time: Double, seconds: Bool = false) -> String {
        let c = parts(time)
        return "\(pad(c.hour, 2)):\(pad(c.minute, 2))" + (seconds ? ":\(pad(c.second, 2))" : "")
    }

    /// `Nov 29`.
    public func day(_ time: Double) -> String {
        let c = parts(time)
        return "\(Self.months[c.month - 1]) \(c.day)"
    }

    /// Whether `time` is exactly a local midnight.
    public func isMidnight(_ time: Double) -> Bool {
        let c = parts(time)
        return c.hour == 0 && c.minute == 0 && c.second == 0
    }

    private func parts(_ time: Double) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                        from: Date(timeIntervalSince1970: time.rounded(.down)))
        return (c.year ?? 0, c.month ?? 1, c.day ?? 1, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
