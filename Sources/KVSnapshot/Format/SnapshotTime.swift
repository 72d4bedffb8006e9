import Foundation

/// Timestamps as snapshots write them: RFC 3339, UTC, milliseconds, `Z`.
///
/// `format` gives `2026-11-29T01:02:03.456Z` (the documents' `time` fields); `formatCompact` gives
/// `20261129T010203.456Z` (file names). Both round to the nearest millisecond.
public enum SnapshotTime {
    /// Formats `date` as RFC 3339 in UTC with milliseconds: `2026-11-29T01:02:03.456Z`.
    public static func format(_ date: Date) -> String {
        let parts = Parts(date)
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))T"
            + "\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2)).\(pad(parts.millisecond, 3))Z"
    }

    /// Formats `date` in the compact form used in file names: `20261129T010203.456Z`.
    public static func formatCompact(_ date: Date) -> String {
        let parts = Parts(date)
        return "\(pad(parts.year, 4))\(pad(parts.month, 2))\(pad(parts.day, 2))T"
            + "\(pad(parts.hour, 2))\(pad(parts.minute, 2))\(pad(parts.second, 2)).\(pad(parts.millisecond, 3))Z"
    }

    /// `date` at the precision `format` writes: the nearest millisecond, the same `Date` that
    /// parsing the formatted text gives.
    public static func rounded(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(Parts.milliseconds(date)) / 1000)
    }

    /// Parses an RFC 3339 date-time (`T` or `t`, optional fraction, `Z` or a `±hh:mm` offset).
    /// Returns nil for anything else.
    public static func parse(_ text: String) -> Date? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.digits(4), scanner.skip("-"), let month = scanner.digits(2), scanner.skip("-"),
              let day = scanner.digits(2), scanner.skip("T") || scanner.skip("t"),
              let hour = scanner.digits(2), scanner.skip(":"), let minute = scanner.digits(2), scanner.skip(":"),
              let second = scanner.digits(2)
        else { return nil }
        let fraction = scanner.fraction()
        var offsetSeconds = 0
        if scanner.skip("Z") || scanner.skip("z") {
            offsetSeconds = 0
        } else if let sign = scanner.sign(), let offsetHour = scanner.digits(2), scanner.skip(":"),
                  let offsetMinute = scanner.digits(2), offsetHour < 24, offsetMinute < 60 {
            offsetSeconds = sign * (offsetHour * 3600 + offsetMinute * 60)
        } else {
            return nil
        }
        guard scanner.atEnd else { return nil }
        return makeDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                        fraction: fraction, offsetSeconds: offsetSeconds)
    }

    /// Parses the compact form `20261129T010203.456Z` (exactly that shape). Returns nil otherwise.
    public static func parseCompact(_ text: String) -> Date? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.digits(4), let month = scanner.digits(2), let day = scanner.digits(2),
              scanner.skip("T"), let hour = scanner.digits(2), let minute = scanner.digits(2),
              let second = scanner.digits(2), scanner.skip("."), let millisecond = scanner.digits(3),
              scanner.skip("Z"), scanner.atEnd
        else { return nil }
        return makeDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                        fraction: (Double(millisecond) / 1000, millisecond), offsetSeconds: 0)
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian, UTC)

    private static func makeDate(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
                                 fraction: (value: Double, milliseconds: Int?), offsetSeconds: Int) -> Date? {
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
              hour < 24, minute < 60, second <= 60 else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        if let milliseconds = fraction.milliseconds {
            return Date(timeIntervalSince1970: Double(seconds * 1000 + milliseconds) / 1000)
        }
        return Date(timeIntervalSince1970: Double(seconds) + fraction.value)
    }

    private struct Parts {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millisecond = 0

        /// Milliseconds since 1970, to the nearest.
        static func milliseconds(_ date: Date) -> Int64 {
            Int64((date.timeIntervalSince1970 * 1000).rounded())
        }

        init(_ date: Date) {
            let milliseconds = Self.milliseconds(date)
            let dayLength: Int64 = 86_400_000
            let days = milliseconds >= 0 ? milliseconds / dayLength : (milliseconds - dayLength + 1) / dayLength
            let inDay = Int(milliseconds - days * dayLength)
            (year, month, day) = civilFromDays(Int(days))
            hour = inDay / 3_600_000
            minute = inDay / 60_000 % 60
            second = inDay / 1000 % 60
            millisecond = inDay % 1000
        }
    }

    private static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

/// A cursor over ASCII bytes for the fixed-width fields of timestamps.
private struct DigitScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    mutating func digits(_ count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<index + count] {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        index += count
        return value
    }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    mutating func sign() -> Int? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }

    /// An optional `.digits` part: its value, and whole milliseconds when it has at most 3 digits.
    mutating func fraction() -> (value: Double, milliseconds: Int?) {
        guard skip(".") else { return (0, 0) }
        var digitCount = 0
        var value = 0.0
        var scale = 0.1
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            value += Double(bytes[index] - 0x30) * scale
            scale /= 10
            digitCount += 1
            index += 1
        }
        if digitCount == 0 { index = bytes.count + 1 } // "12:00:00." is invalid: make atEnd false
        return (value, digitCount <= 3 ? Int((value * 1000).rounded()) : nil)
    }
}
