import Foundation
import KVSnapshot

/// The request counter and duration-histogram totals of recent observations, kept as long as
/// the longest rule window (plus one older point), for increases over a window.
struct AlertHistory: Sendable {
    /// One series of `kvstore_http_requests_total`.
    struct RequestKey: Hashable, Sendable {
        var labels: String
        var isServerError: Bool
    }

    /// One bucket of one series of `kvstore_request_duration_seconds`.
    struct BucketKey: Hashable, Sendable {
        var labels: String
        var upperBound: Double
    }

    struct Point: Sendable {
        var time: Date
        var requests: [RequestKey: Double]
        var buckets: [BucketKey: Double]
    }

    /// Most points kept whatever the window, so a very fast tick cannot grow memory unbounded.
    static let maxPoints = 1024

    /// Seconds of history kept; 0 keeps none.
    let retention: Double
    private(set) var points: [Point] = []

    init(retention: Double) {
        self.retention = retention
    }

    /// Adds the totals of `observation`, forgetting what is no longer needed.
    mutating func record(_ observation: AlertObservation) {
        guard self.retention > 0 else { return }
        // A clock that went back (or a repeated tick) replaces the points at or after it.
        self.points.removeAll { $0.time >= observation.time }
        self.points.append(Self.point(of: observation))
        let cutoff = observation.time.addingTimeInterval(-self.retention)
        if let lastBefore = self.points.lastIndex(where: { $0.time < cutoff }), lastBefore > 0 {
            self.points.removeFirst(lastBefore)
        }
        if self.points.count > Self.maxPoints {
            self.points.removeFirst(self.points.count - Self.maxPoints)
        }
    }

    /// 5xx and all requests between the oldest point at or after `start` and the newest, with
    /// counter resets handled as PromQL's `increase()` does; nil with fewer than two points.
    func requestIncrease(since start: Date) -> (errors: Double, total: Double)? {
        guard let increases = Self.increases(self.points(since: start).map(\.requests)) else { return nil }
        var errors = 0.0
        var total = 0.0
        for (key, increase) in increases {
            total += increase
            if key.isServerError { errors += increase }
        }
        return (errors, total)
    }

    /// Duration-histogram bucket increases since `start`, summed over series by upper bound.
    func bucketIncrease(since start: Date) -> [(upperBound: Double, count: Double)]? {
        guard let increases = Self.increases(self.points(since: start).map(\.buckets)) else { return nil }
        var byBound: [Double: Double] = [:]
        for (key, increase) in increases {
            byBound[key.upperBound, default: 0] += increase
        }
        return byBound.map { (upperBound: $0.key, count: $0.value) }
    }

    private func points(since start: Date) -> ArraySlice<Point> {
        let first = self.points.firstIndex { $0.time >= start } ?? self.points.endIndex
        return self.points[first...]
    }

    /// Per-series increase over consecutive totals: a total that went down is a reset, counted
    /// from zero; a series first seen after the first point was created in between, from zero.
    static func increases<Key: Hashable>(_ totals: [[Key: Double]]) -> [Key: Double]? {
        guard totals.count >= 2 else { return nil }
        var result: [Key: Double] = [:]
        for (before, after) in zip(totals, totals.dropFirst()) {
            for (key, value) in after {
                let previous = before[key] ?? 0
                result[key, default: 0] += value >= previous ? value - previous : value
            }
        }
        return result
    }

    private static func point(of observation: AlertObservation) -> Point {
        var requests: [RequestKey: Double] = [:]
        for sample in observation.family(KVMetrics.httpRequestsTotal.name)?.samples ?? [] {
            guard let value = sample.value, value.isFinite else { continue }
            let code = sample.labels["code"] ?? ""
            let isServerError = code.utf8.count == 3 && code.hasPrefix("5")
            requests[RequestKey(labels: Self.key(sample.labels), isServerError: isServerError), default: 0] += value
        }
        var buckets: [BucketKey: Double] = [:]
        for sample in observation.family(KVMetrics.requestDurationSeconds.name)?.samples ?? [] {
            let labels = Self.key(sample.labels)
            for bucket in sample.buckets ?? [] {
                buckets[BucketKey(labels: labels, upperBound: bucket.upperBound), default: 0] += Double(bucket.cumulativeCount)
            }
        }
        return Point(time: observation.time, requests: requests, buckets: buckets)
    }

    private static func key(_ labels: [String: String]) -> String {
        labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1}")
    }
}
