/// One cumulative histogram bucket: how many observations were at most `upperBound`.
public struct HistogramBucket: Codable, Sendable, Equatable {
    /// The bucket's upper bound (`le`); `+Inf` for the last bucket.
    public var upperBound: Double
    /// Observations less than or equal to `upperBound`.
    public var cumulativeCount: UInt64

    /// Creates a bucket.
    public init(upperBound: Double, cumulativeCount: UInt64) {
        self.upperBound = upperBound
        self.cumulativeCount = cumulativeCount
    }

    private enum CodingKeys: String, CodingKey {
        case upperBound = "le"
        case cumulativeCount = "count"
    }
}
