/// Ticks for a time axis at round local times: 1/2/5/10/15/30 s or min, 1/2/3/6/12 h, 1/2/7 days.
public struct TimeAxis: Sendable {
    /// One tick: where, and its label in the axis's time zone.
    public struct Tick: Sendable, Equatable {
        public var time: Double
        public var label: String
    }

    /// The candidate steps, in seconds.
    public static let steps: [Double] = [
        1, 2, 5, 10, 15, 30,
        60, 120, 300, 600, 900, 1800,
        3600, 7200, 10_800, 21_600, 43_200,
        86_400, 172_800, 604_800, 1_209_600, 2_592_000,
    ]

    /// The chosen step in seconds.
    public let step: Double
    /// The ticks inside the window, oldest first.
    public let ticks: [Tick]

    /// Ticks for `from...to` labelled by their distance from `from` (`+0`, `+15 min`, `+1 h 30 min`),
    /// at whole steps from it, at most `maxTicks` of them: the shared axis of two windows compared.
    public init(relativeFrom from: Double, to: Double, maxTicks: Int = 7) {
        let span = max(to - from, 1)
        let step = Self.steps.first { span / $0 <= Double(max(maxTicks, 1)) } ?? Self.steps[Self.steps.count - 1]
        self.step = step
        ticks = stride(from: 0, through: span, by: step).prefix(maxTicks + 1).map { offset in
            Tick(time: from + offset, label: offset == 0 ? "+0" : "+" + DurationText.format(offset))
        }
    }

    /// Ticks for `from...to` shown in `localTime`'s zone, at most `maxTicks` of them.
    public init(from: Double, to: Double, localTime: LocalTime, maxTicks: Int = 7) {
        let span = max(to - from, 1)
        let step = Self.steps.first { span / $0 <= Double(max(maxTicks, 1)) } ?? Self.steps[Self.steps.count - 1]
        self.step = step
        var times: [Double] = []
        if step < 86_400 {
            // Round local wall-clock times: multiples of the step counted from local midnight.
            let offset = localTime.offset(at: from)
            var local = ((from + offset) / step).rounded(.up) * step
            while times.count <= maxTicks + 1 {
                let candidate = local - localTime.offset(at: local - offset)
                if candidate > to { break }
                if candidate >= from, times.last.map({ candidate > $0 }) ?? true { times.append(candidate) }
                local += step
            }
        } else {
            let days = Int(step / 86_400)
            var day = localTime.startOfDay(from)
            if day < from { day = localTime.adding(days: 1, to: day) }
            while day <= to, times.count <= maxTicks + 1 {
                times.append(day)
                day = localTime.adding(days: days, to: day)
            }
        }
        ticks = times.map { time in
            let label: String
            if step >= 86_400 || localTime.isMidnight(time) {
                label = localTime.day(time)
            } else {
                label = localTime.clock(time, seconds: step < 60)
            }
            return Tick(time: time, label: label)
        }
    }
}
