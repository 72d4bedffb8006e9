import KVSnapshot

/// One snapshot's request counter and latency histogram, split by route (the `method` and `route`
/// labels), for the routes table: each route's increases come from the same code as the whole
/// server's (`CounterReading`, `HistogramReading`).
struct RouteReadings: Sendable {
    /// A route as the metrics label it.
    struct Route: Hashable, Sendable {
        var method: String
        var route: String
    }

    /// One route's requests since the previous snapshot, the 5xx part, and its latency bucket increases.
    struct Increase: Sendable, Equatable {
        var requests: CounterIncrease
        var latency: BucketCounts

        init(requests: CounterIncrease, buckets: [HistogramQuantile.Bucket]) {
            self.requests = requests
            latency = BucketCounts(buckets)
        }
    }

    var requests: [Route: CounterReading]
    var latency: [Route: HistogramReading]

    init(requests: [Route: CounterReading], latency: [Route: HistogramReading]) {
        self.requests = requests
        self.latency = latency
    }

    /// The route a sample is labelled with (`method`, `route`; empty when a label is missing).
    static func route(of sample: MetricSample) -> Route {
        Route(method: sample.labels["method"] ?? "", route: sample.labels["route"] ?? "")
    }

    /// Each route's increase since `before` (a route new since then counts from zero, as after a restart).
    func increases(since before: RouteReadings, restarted: Bool) -> [Route: Increase] {
        var result: [Route: Increase] = [:]
        for route in Set(requests.keys).union(latency.keys) {
            let counted = requests[route].map {
                $0.increase(since: before.requests[route] ?? CounterReading(nil), restarted: restarted)
            } ?? CounterIncrease()
            let buckets = latency[route].map {
                $0.increase(since: before.latency[route] ?? HistogramReading(nil), restarted: restarted)
            } ?? []
            result[route] = Increase(requests: counted, buckets: buckets)
        }
        return result
    }

}

/// Latency bucket increases as two arrays: the upper bounds and each bucket's count. A route's bounds
/// are the same from one snapshot to the next, so `SeriesStore` keeps one copy of them for all its
/// points, and sums find each bucket at its position.
struct BucketCounts: Sendable, Equatable {
    var bounds: [Double] = []
    var counts: [Double] = []

    init() {}

    /// `buckets` by ascending bound.
    init(_ buckets: [HistogramQuantile.Bucket]) {
        let sorted = buckets.sorted { $0.upperBound < $1.upperBound }
        bounds = sorted.map(\.upperBound)
        counts = sorted.map(\.count)
    }

    var buckets: [HistogramQuantile.Bucket] {
        bounds.indices.map { HistogramQuantile.Bucket(upperBound: bounds[$0], count: counts[$0]) }
    }

    /// Adds each of `other`'s buckets to the bucket with its bound (new bounds are appended).
    mutating func add(_ other: BucketCounts) {
        for position in other.bounds.indices { add(other.counts[position], bound: other.bounds[position], position: position) }
    }

    /// Adds `count` to the bucket `bound`, nearly always the one at `position`.
    private mutating func add(_ count: Double, bound: Double, position: Int) {
        if position < bounds.count, bounds[position] == bound {
            counts[position] += count
        } else if let index = bounds.firstIndex(of: bound) {
            counts[index] += count
        } else {
            bounds.append(bound)
            counts.append(count)
        }
    }
}
