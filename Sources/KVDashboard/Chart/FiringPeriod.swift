/// A stretch of time in which one alert was firing, drawn as a shaded band on the time charts.
public struct FiringPeriod: Sendable, Equatable {
    /// The alert's name (data: written as escaped text only).
    public var alert: String
    /// From the first snapshot where it was firing (seconds since 1970).
    public var from: Double
    /// To the first snapshot where it no longer was (pending or gone), or the window's end.
    public var to: Double

    public init(alert: String, from: Double, to: Double) {
        self.alert = alert
        self.from = from
        self.to = max(from, to)
    }

    /// Whether any of it lies inside `from...to`.
    func overlaps(from windowFrom: Double, to windowTo: Double) -> Bool {
        to >= windowFrom && from <= windowTo
    }

    /// The firing periods of `points`' alerts (oldest first), sorted by alert name and start: each
    /// runs from the first point where the alert is firing to the first point where it no longer is;
    /// one still firing at the last point ends at `windowEnd` (that point's time when nil). Pending
    /// is not firing.
    static func periods(points: ArraySlice<SeriesPoint>, windowEnd: Double?) -> [FiringPeriod] {
        var open: [String: Double] = [:]
        var periods: [FiringPeriod] = []
        let times = points.column { $0.time }
        let firing = points.column { $0.firingAlerts }
        for index in times.indices where !(firing[index].isEmpty && open.isEmpty) {
            for (name, start) in open where !firing[index].contains(name) {
                periods.append(FiringPeriod(alert: name, from: start, to: times[index]))
                open[name] = nil
            }
            for name in firing[index] where open[name] == nil {
                open[name] = times[index]
            }
        }
        let end = windowEnd ?? points.last?.time ?? 0
        for (name, start) in open {
            periods.append(FiringPeriod(alert: name, from: start, to: end))
        }
        return sorted(periods)
    }

    /// `periods` (of several nodes) joined per alert name where they overlap or touch, sorted by
    /// alert name and start: the fleet's band is where the alert fired on any node.
    static func merged(_ periods: [FiringPeriod]) -> [FiringPeriod] {
        var merged: [FiringPeriod] = []
        for period in sorted(periods) {
            if let last = merged.last, last.alert == period.alert, period.from <= last.to {
                merged[merged.count - 1].to = max(last.to, period.to)
            } else {
                merged.append(period)
            }
        }
        return merged
    }

    private static func sorted(_ periods: [FiringPeriod]) -> [FiringPeriod] {
        periods.sorted { ($0.alert, $0.from, $0.to) < ($1.alert, $1.from, $1.to) }
    }
}
