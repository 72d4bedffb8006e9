/// One series of a family: its labels and its value(s).
///
/// Counters and gauges set `value`; histograms set `buckets`, `sum` and `count`; summaries set
/// `quantiles`, `sum` and `count`.
public struct MetricSample: Codable, Sendable, Equatable {
    /// Label name to value.
    public var labels: [String: String]
    /// The counter or gauge value.
    public var value: Double?
    /// Cumulative histogram buckets in increasing order; the last has `upperBound` `+Inf`.
    public var buckets: [HistogramBucket]?
    /// Summary quantiles in increasing order.
    public var quantiles: [SummaryQuantile]?
    /// Sum of all observations (histograms, summaries).
    public var sum: Double?
    /// Number of observations (histograms, summaries).
    public var count: UInt64?

    /// Creates a counter or gauge sample.
    public init(labels: [String: String] = [:], value: Double) {
        self.labels = labels
        self.value = value
    }

    /// Creates a histogram sample.
    public init(labels: [String: String] = [:], buckets: [HistogramBucket], sum: Double, count: UInt64) {
        self.labels = labels
        self.buckets = buckets
        self.sum = sum
        self.count = count
    }

    /// Creates a summary sample.
    public init(labels: [String: String] = [:], quantiles: [SummaryQuantile], sum: Double, count: UInt64) {
        self.labels = labels
        self.quantiles = quantiles
        self.sum = sum
        self.count = count
    }
}
