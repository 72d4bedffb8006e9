import KVSnapshot
/// A registered histogram family with fixed bucket bounds; look up a series, then observe.
public final class HistogramFamily: Sendable, SampledFamily {
    /// Buckets for request and operation durations in seconds, fine enough for sub-millisecond work.
    public static let defaultDurationBuckets: [Double] = [
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]
    /// Buckets for request and response bodies in bytes (64 B to 4 MiB).
    public static let defaultSizeBuckets: [Double] = [
        64, 256, 1024, 4096, 16384, 65536, 262_144, 1_048_576, 4_194_304,
    ]

    /// The family's declaration.
    public let descriptor: MetricDescriptor
    /// Finite bucket upper bounds in increasing order; `+Inf` is implicit.
    public let upperBounds: [Double]
    let table: SeriesTable<Histogram>
    var shape: FamilyShape { .histogram(upperBounds: self.upperBounds) }

    init(descriptor: MetricDescriptor, upperBounds: [Double], table: SeriesTable<Histogram>) {
        self.descriptor = descriptor
        self.upperBounds = upperBounds
        self.table = table
    }

    /// The series for these label values, in declaration order; cache it on hot paths.
    public func labels(_ values: String...) -> Histogram {
        self.table.series(for: values)
    }

    /// The series for these label values, in declaration order.
    public func labels(values: [String]) -> Histogram {
        self.table.series(for: values)
    }

    func sample(of series: Histogram) -> MetricSample {
        let state = series.state
        var buckets = [HistogramBucket]()
        buckets.reserveCapacity(state.cumulativeCounts.count)
        for (index, count) in state.cumulativeCounts.enumerated() {
            let bound = index < self.upperBounds.count ? self.upperBounds[index] : .infinity
            buckets.append(HistogramBucket(upperBound: bound, cumulativeCount: count))
        }
        return MetricSample(buckets: buckets, sum: state.sum, count: state.count)
    }
}
