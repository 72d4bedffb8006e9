/// One reading of a histogram family: each series' cumulative buckets and count by `SeriesKey`.
public struct HistogramReading: Sendable, Equatable {
    /// One series' cumulative buckets (increasing bounds, the last `+Inf`) and observation count.
    public struct Series: Sendable, Equatable {
        public var buckets: [HistogramBucket]
        public var count: UInt64?

        public init(buckets: [HistogramBucket], count: UInt64?) {
            self.buckets = buckets
            self.count = count
        }
    }

    /// The series with buckets, by `SeriesKey`.
    public var series: [String: Series]

    /// A reading of these series, by `SeriesKey`.
    public init(series: [String: Series]) {
        self.series = series
    }

    /// Reads `family` (nil: absent, no series).
    public init(_ family: MetricFamilySnapshot?) {
        var series: [String: Series] = [:]
        for sample in family?.samples ?? [] {
            guard let buckets = sample.buckets, !buckets.isEmpty else { continue }
            series[SeriesKey.make(sample.labels)] = Series(buckets: buckets, count: sample.count)
        }
        self.series = series
    }

    /// The bucket increases since `before`, summed over series by upper bound (`sum by (le)` of
    /// the increases), ready for `HistogramQuantile`. After a restart, or for a series that was
    /// reset (see `wasReset`) or is new, the series' current counts are its increase.
    public func increase(since before: HistogramReading, restarted: Bool) -> [HistogramQuantile.Bucket] {
        var merged: [Double: Double] = [:]
        for (key, series) in self.series {
            let old = restarted ? nil : before.series[key]
            let reset = old.map { Self.wasReset(from: $0, to: series) } ?? true
            for (index, bucket) in series.buckets.enumerated() {
                let base = reset ? 0 : Double(old!.buckets[index].cumulativeCount)
                merged[bucket.upperBound, default: 0] += Double(bucket.cumulativeCount) - base
            }
        }
        return merged.map { HistogramQuantile.Bucket(upperBound: $0.key, count: $0.value) }
    }

    /// Whether a series was reset between two readings: its bucket layout changed, or its count
    /// or any cumulative bucket count went down.
    ///
    /// Judged per series, not per bucket: a histogram's buckets are reset together, so a
    /// decrease anywhere means every bucket restarted from zero. Judging each bucket alone would
    /// subtract old counts from the buckets that happened to grow past them again and mix
    /// observations from before and after the reset.
    public static func wasReset(from old: Series, to new: Series) -> Bool {
        guard old.buckets.count == new.buckets.count else { return true }
        if let oldCount = old.count, let newCount = new.count, newCount < oldCount { return true }
        for index in new.buckets.indices {
            let before = old.buckets[index]
            let after = new.buckets[index]
            if before.upperBound != after.upperBound || after.cumulativeCount < before.cumulativeCount { return true }
        }
        return false
    }
}
