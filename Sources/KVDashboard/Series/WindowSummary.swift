import Foundation
import KVSnapshot

/// One figure per window, from the same delta maths as the charts: the request rate (total
/// increase over the time between the first and last snapshot) and latency quantiles (from the
/// summed bucket increases). Used to compare the generator with Prometheus' `rate()` and
/// `histogram_quantile()` over the same window.
public struct WindowSummary: Sendable, Equatable, Encodable {
    public var snapshots: Int
    public var seconds: Double
    public var requests: Double
    public var requestRate: Double?
    public var p50Seconds: Double?
    public var p99Seconds: Double?

    /// Summarises `snapshots` (any order; only those of one node should be given).
    public init(snapshots input: [Snapshot]) {
        let sorted = input.sorted { $0.time < $1.time }
        var previous: (requests: CounterReading, latency: HistogramReading, uptime: Double)?
        var total = 0.0
        var merged: [Double: Double] = [:]
        for snapshot in sorted {
            let requests = CounterReading.requests(snapshot.family(named: .httpRequestsTotal))
            let latency = HistogramReading(snapshot.family(named: .requestDurationSeconds))
            if let previous {
                let restarted = SeriesMath.isRestart(previousUptime: previous.uptime, uptime: snapshot.uptimeSeconds)
                total += requests.increase(since: previous.requests, restarted: restarted).total
                for bucket in latency.increase(since: previous.latency, restarted: restarted) {
                    merged[bucket.upperBound, default: 0] += bucket.count
                }
            }
            previous = (requests, latency, snapshot.uptimeSeconds)
        }
        let seconds = sorted.count >= 2 ? sorted[sorted.count - 1].time.timeIntervalSince(sorted[0].time) : 0
        let buckets = merged.map { HistogramQuantile.Bucket(upperBound: $0.key, count: $0.value) }
        let p50 = HistogramQuantile.quantile(0.5, buckets: buckets)
        let p99 = HistogramQuantile.quantile(0.99, buckets: buckets)
        self.snapshots = sorted.count
        self.seconds = seconds
        self.requests = total
        self.requestRate = SeriesMath.rate(total, over: seconds)
        self.p50Seconds = p50.isFinite ? p50 : nil
        self.p99Seconds = p99.isFinite ? p99 : nil
    }

    enum CodingKeys: String, CodingKey {
        case snapshots, seconds, requests
        case requestRate = "request_rate"
        case p50Seconds = "p50_seconds"
        case p99Seconds = "p99_seconds"
    }
}
