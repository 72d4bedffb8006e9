import KVSnapshot

/// Bucket increases of a histogram family between consecutive snapshots, summed over its series
/// by upper bound (`sum by (le)` of the increases), ready for `HistogramQuantile`.
struct HistogramDeltas: Sendable {
    private var previous: [String: [HistogramBucket]] = [:]
    private var hasPrevious = false

    /// Records `family` and returns the merged bucket increases since the last call; nil on the first call.
    mutating func advance(_ family: MetricFamilySnapshot?, restarted: Bool) -> [HistogramQuantile.Bucket]? {
        var current: [String: [HistogramBucket]] = [:]
        var merged: [Double: Double] = [:]
        for sample in family?.samples ?? [] {
            guard let buckets = sample.buckets, !buckets.isEmpty else { continue }
            let key = LabelKey.make(sample.labels)
            current[key] = buckets
            let before = restarted ? nil : previous[key]
            let reset = before.map { Self.wasReset(from: $0, to: buckets) } ?? true
            for (index, bucket) in buckets.enumerated() {
                let base = reset ? 0 : Double(before![index].cumulativeCount)
                merged[bucket.upperBound, default: 0] += Double(bucket.cumulativeCount) - base
            }
        }
        defer {
            previous = current
            hasPrevious = true
        }
        guard hasPrevious else { return nil }
        return merged.map { HistogramQuantile.Bucket(upperBound: $0.key, count: $0.value) }
    }

    /// A series was reset when its layout changed or any cumulative count went down.
    private static func wasReset(from old: [HistogramBucket], to new: [HistogramBucket]) -> Bool {
        guard old.count == new.count else { return true }
        for index in new.indices {
            if old[index].upperBound != new[index].upperBound || new[index].cumulativeCount < old[index].cumulativeCount {
                return true
            }
        }
        return false
    }
}
