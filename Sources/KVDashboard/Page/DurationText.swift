/// Human durations with the two largest units: `2 d 3 h`, `4 h 5 min`, `6 min 7 s`, `8 s`.
enum DurationText {
    static func format(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "–" }
        let total = Int(max(0, seconds).rounded(.down))
        let days = total / 86_400, hours = total / 3600 % 24, minutes = total / 60 % 60, rest = total % 60
        if days > 0 { return hours > 0 ? "\(days) d \(hours) h" : "\(days) d" }
        if hours > 0 { return minutes > 0 ? "\(hours) h \(minutes) min" : "\(hours) h" }
        if minutes > 0 { return rest > 0 ? "\(minutes) min \(rest) s" : "\(minutes) min" }
        return "\(rest) s"
    }
}
