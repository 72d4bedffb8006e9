import KVSnapshot
/// A registered summary family: quantiles over a sliding window; look up a series, then observe.
public final class SummaryFamily: Sendable, SampledFamily {
    /// The quantiles reported when none are given.
    public static let defaultQuantiles: [Double] = [0.5, 0.9, 0.99]
    /// The sliding window when none is given: ten minutes.
    public static let defaultWindow: Duration = .seconds(600)

    /// The family's declaration.
    public let descriptor: MetricDescriptor
    /// The quantiles reported, in increasing order.
    public let quantiles: [Double]
    /// The window length in seconds.
    public let windowSeconds: Double
    let table: SeriesTable<Summary>
    var shape: FamilyShape { .summary(quantiles: self.quantiles, window: self.windowSeconds) }

    init(descriptor: MetricDescriptor, quantiles: [Double], windowSeconds: Double, table: SeriesTable<Summary>) {
        self.descriptor = descriptor
        self.quantiles = quantiles
        self.windowSeconds = windowSeconds
        self.table = table
    }

    /// The series for these label values, in declaration order.
    public func labels(_ values: String...) -> Summary {
        self.table.series(for: values)
    }

    /// The series for these label values, in declaration order.
    public func labels(values: [String]) -> Summary {
        self.table.series(for: values)
    }

    func sample(of series: Summary) -> MetricSample {
        let state = series.state
        let quantiles = zip(self.quantiles, state.quantileValues).map {
            SummaryQuantile(quantile: $0.0, value: $0.1)
        }
        return MetricSample(quantiles: quantiles, sum: state.sum, count: state.count)
    }
}
