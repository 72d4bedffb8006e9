/// The kind of a metric family, as named in the Prometheus and OpenMetrics text formats.
public enum MetricType: String, Codable, Sendable, CaseIterable {
    /// A monotonically increasing total.
    case counter
    /// A value that can go up and down.
    case gauge
    /// Observations counted into fixed cumulative buckets, with a sum and a count.
    case histogram
    /// Quantiles over a sliding time window, with a cumulative sum and count.
    case summary
}
