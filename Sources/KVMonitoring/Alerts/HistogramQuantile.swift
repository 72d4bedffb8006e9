/// Prometheus' `histogram_quantile` over classic cumulative buckets, as a pure function.
enum HistogramQuantile {
    /// The `q` quantile of cumulative `buckets` (upper bound, count), interpolated linearly inside
    /// the bucket the rank falls in, exactly as PromQL does.
    ///
    /// Returns nil where PromQL returns NaN: no `+Inf` bucket, fewer than two buckets, no
    /// observations, or `q` outside 0...1.
    static func quantile(_ q: Double, buckets input: [(upperBound: Double, count: Double)]) -> Double? {
        guard q >= 0, q <= 1 else { return nil }
        // Sort, and merge buckets with the same bound (as PromQL's coalesceBuckets does).
        var buckets: [(upperBound: Double, count: Double)] = []
        for bucket in input.sorted(by: { $0.upperBound < $1.upperBound }) {
            if let last = buckets.last, last.upperBound == bucket.upperBound {
                buckets[buckets.count - 1].count += bucket.count
            } else {
                buckets.append(bucket)
            }
        }
        guard buckets.count >= 2, buckets[buckets.count - 1].upperBound == .infinity else { return nil }
        // Cumulative counts must not go down; deltas of separate series can make them (ensureMonotonic).
        for index in buckets.indices.dropFirst() where buckets[index].count < buckets[index - 1].count {
            buckets[index].count = buckets[index - 1].count
        }
        let observations = buckets[buckets.count - 1].count
        guard observations > 0 else { return nil }
        var rank = q * observations
        let found = buckets.indices.dropLast().first { buckets[$0].count >= rank } ?? buckets.count - 1
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
        return bucketStart + (bucketEnd - bucketStart) * (rank / count)
    }
}
