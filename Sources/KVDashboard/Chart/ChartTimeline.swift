/// The time side of a chart: the points' times, where lines break, the window and its zone.
public struct ChartTimeline: Sendable {
    /// Seconds since 1970, oldest first.
    public var times: [Double]
    /// True where the line must not join the previous point.
    public var startsSegment: [Bool]
    /// The window shown.
    public var from: Double
    public var to: Double
    /// The zone for tick labels and texts.
    public var localTime: LocalTime
    /// The usual time between points, to end the last band of a segment; nil when unknown.
    public var typicalInterval: Double?
    /// Whether the time axis is labelled by the distance from `from` (`+15 min`) instead of local
    /// clock times: two windows overlaid on one axis.
    public var relative = false

    public init(times: [Double], startsSegment: [Bool], from: Double, to: Double, localTime: LocalTime,
                typicalInterval: Double? = nil) {
        self.times = times
        self.startsSegment = startsSegment
        self.from = from
        self.to = to
        self.localTime = localTime
        self.typicalInterval = typicalInterval
    }

    /// "from 2026-11-29 00:00:00 +01:00 to 2026-11-29 06:00:00 +01:00 (Europe/Berlin)".
    var windowText: String {
        relative ? "over the first \(DurationText.format(to - from)) of each window"
            : "from \(localTime.full(from)) to \(localTime.full(to)) (\(localTime.timeZone.identifier))"
    }
}
