/// The common times at which the fleet charts show every node, as a Prometheus range query steps
/// through time: steps of `max(2 × the slowest node's usual interval, window / 600, 1 s)`, the
/// last one at the window's end. Step `t` summarises each node's points in `(t − step, t]`; a
/// step without any point of a node is "no data" there and breaks that node's line.
struct FleetSteps {
    /// At most this many steps per window (about one per pixel column of a chart).
    static let maximumSteps = 600.0

    /// The step times, oldest first; each ends its step.
    let times: [Double]
    /// The length of one step in seconds.
    let step: Double

    /// Steps for the window `from...to`, given each node's usual time between snapshots.
    init(from: Double, to: Double, typicalIntervals: [Double]) {
        let slowest = typicalIntervals.filter { $0.isFinite && $0 > 0 }.max() ?? 0
        let step = max(2 * slowest, max(to - from, 0) / Self.maximumSteps, 1)
        var times: [Double] = []
        var time = to
        while time >= from {
            times.append(time)
            time -= step
        }
        self.times = times.reversed()
        self.step = step
    }

    /// One summary per step of `points` (one node's, oldest first).
    func summaries(of points: ArraySlice<SeriesPoint>) -> [FleetStepSummary] {
        var result = [FleetStepSummary](repeating: FleetStepSummary(), count: times.count)
        var index = 0
        for point in points {
            while index < times.count, point.time > times[index] { index += 1 }
            guard index < times.count, point.time > times[index] - step else { continue }
            result[index].add(point)
        }
        return result
    }
}
