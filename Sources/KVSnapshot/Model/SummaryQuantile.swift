/// One summary quantile and its current value (NaN when the window is empty).
public struct SummaryQuantile: Codable, Sendable, Equatable {
    /// The quantile, in 0...1.
    public var quantile: Double
    /// The observed value at that quantile.
    public var value: Double

    /// Creates a quantile value.
    public init(quantile: Double, value: Double) {
        self.quantile = quantile
        self.value = value
    }
}
