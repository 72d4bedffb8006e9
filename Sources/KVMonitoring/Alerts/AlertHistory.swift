import Foundation
import KVSnapshot

/// The request counter and duration-histogram readings of recent observations, kept as long as
/// the longest rule window (plus one older point), for increases over a window.
///
/// The maths (resets, restarts, 5xx) is `SeriesMath`'s, the same the dashboard uses.
struct AlertHistory: Sendable {
    struct Point: Sendable {
        var time: Date
        /// The process uptime, to tell a restart (it went backwards).
        var uptime: Double
        var requests: CounterReading
        var latency: HistogramReading
    }

    /// Most points kept whatever the window, so a very fast tick cannot grow memory unbounded.
    static let maxPoints = 1024

    /// Seconds of history kept; 0 keeps none.
    let retention: Double
    private(set) var points: [Point] = []

    init(retention: Double) {
        self.retention = retention
    }

    /// Adds the readings of `observation`, forgetting what is no longer needed.
    mutating func record(_ observation: AlertObservation) {
        guard self.retention > 0 else { return }
        // A clock that went back (or a repeated tick) replaces the points at or after it.
        self.points.removeAll { $0.time >= observation.time }
        self.points.append(Point(
            time: observation.time,
            uptime: observation.health.uptimeSeconds,
            requests: .requests(observation.family(KVMetrics.httpRequestsTotal.name)),
            latency: HistogramReading(observation.family(KVMetrics.requestDurationSeconds.name))
        ))
        let cutoff = observation.time.addingTimeInterval(-self.retention)
        if let lastBefore = self.points.lastIndex(where: { $0.time < cutoff }), lastBefore > 0 {
            self.points.removeFirst(lastBefore)
        }
        if self.points.count > Self.maxPoints {
            self.points.removeFirst(self.points.count - Self.maxPoints)
        }
    }

    /// All requests (`total`) and 5xx requests (`part`) between the oldest point at or after
    /// `start` and the newest, summed over consecutive points; nil with fewer than two points.
    func requestIncrease(since start: Date) -> CounterIncrease? {
        self.steps(since: start) { before, after, restarted in
            after.requests.increase(since: before.requests, restarted: restarted)
        }?.reduce(CounterIncrease(), +)
    }

    /// Duration-histogram bucket increases since `start`, summed over series by upper bound.
    func bucketIncrease(since start: Date) -> [HistogramQuantile.Bucket]? {
        guard let steps = self.steps(since: start, { before, after, restarted in
            after.latency.increase(since: before.latency, restarted: restarted)
        }) else { return nil }
        var byBound: [Double: Double] = [:]
        for bucket in steps.joined() {
            byBound[bucket.upperBound, default: 0] += bucket.count
        }
        return byBound.map { HistogramQuantile.Bucket(upperBound: $0.key, count: $0.value) }
    }

    /// `increase` of each pair of consecutive points since `start`; nil with fewer than two points.
    private func steps<T>(since start: Date, _ increase: (Point, Point, Bool) -> T) -> [T]? {
        let first = self.points.firstIndex { $0.time >= start } ?? self.points.endIndex
        let window = self.points[first...]
        guard window.count >= 2 else { return nil }
        return zip(window, window.dropFirst()).map { before, after in
            increase(before, after, SeriesMath.isRestart(previousUptime: before.uptime, uptime: after.uptime))
        }
    }
}
