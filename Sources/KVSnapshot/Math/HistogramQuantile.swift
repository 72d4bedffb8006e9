/// Quantiles from cumulative histogram buckets, computed as Prometheus' `histogram_quantile` does;
/// shared by the dashboard's latency charts and the latency alert rule.
public enum HistogramQuantile {
    /// One cumulative bucket: observations at most `upperBound`.
    public struct Bucket: Sendable, Equatable {
        public var upperBound: Double
        public var count: Double

        public init(upperBound: Double, count: Double) {
            self.upperBound = upperBound
            self.count = count
        }
    }

    /// The `q` quantile (0...1) of the observations in `buckets` (cumulative, any order).
    ///
    /// Interpolates linearly inside the bucket that holds the rank; a rank in the `+Inf` bucket
    /// gives the highest finite bound. NaN without a `+Inf` bucket, with fewer than two buckets
    /// or with no observations.
    public static func quantile(_ q: Double, buckets unsorted: [Bucket]) -> Double {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        // Sort, and merge buckets with the same bound (as PromQL's coalesceBuckets does).
        var buckets: [Bucket] = []
        for bucket in unsorted.sorted(by: { $0.upperBound < $1.upperBound }) {
            if let last = buckets.last, last.upperBound == bucket.upperBound {
                buckets[buckets.count - 1].count += bucket.count
            } else {
                buckets.append(bucket)
            }
        }
        guard buckets.count >= 2, buckets[buckets.count - 1].upperBound == .infinity else { return .nan }
        // Cumulative counts must not decrease (they can after lossy merging); Prometheus fixes that the same way.
        for index in buckets.indices.dropFirst() where buckets[index].count < buckets[index - 1].count {
            buckets[index].count = buckets[index - 1].count
        }
        let observations = buckets[buckets.count - 1].count
        guard observations > 0 else { return .nan }
        var rank = q * observations
        guard let found = buckets.firstIndex(where: { $0.count >= rank }) else { return .nan }
        if found == buckets.count - 1 {
            return buckets[buckets.count - 2].upperBound
        }
        if found == 0, buckets[0].upperBound <= 0 {
            return buckets[0].upperBound
        }
        var bucketStart = 0.0
        let bucketEnd = buckets[found].upperBound
        var count = buckets[found].count
        if found > 0 {
            bucketStart = buckets[found - 1].upperBound
            count -= buckets[found - 1].count
            rank -= buckets[found - 1].count
        }
        guard count > 0 else { return bucketStart }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count)
    }
}
