extension KVStoreConfiguration {
    /// Metrics collection and the Prometheus endpoint.
    public struct Metrics: Sendable, Equatable {
        /// The default `metrics.duration_buckets`, in seconds.
        public static let defaultDurationBuckets: [Double] = [
            0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
        ]
        /// The default `metrics.size_buckets`, in bytes.
        public static let defaultSizeBuckets: [Double] = [
            64, 256, 1024, 4096, 16384, 65536, 262_144, 1_048_576, 4_194_304,
        ]

        /// Key `metrics.enabled`.
        public var enabled: Bool
        /// Key `metrics.port`: a separate listener for metrics; `nil` serves them on the main port only.
        public var port: Int?
        /// Key `metrics.duration_buckets`: histogram bucket bounds in seconds, strictly increasing.
        public var durationBuckets: [Double]
        /// Key `metrics.size_buckets`: histogram bucket bounds in bytes, strictly increasing.
        public var sizeBuckets: [Double]
        /// Key `metrics.max_series_per_family`: the most label combinations one metric may have.
        public var maxSeriesPerFamily: Int

        public init(
            enabled: Bool = true,
            port: Int? = nil,
            durationBuckets: [Double] = Self.defaultDurationBuckets,
            sizeBuckets: [Double] = Self.defaultSizeBuckets,
            maxSeriesPerFamily: Int = 1000
        ) {
            self.enabled = enabled
            self.port = port
            self.durationBuckets = durationBuckets
            self.sizeBuckets = sizeBuckets
            self.maxSeriesPerFamily = maxSeriesPerFamily
        }
    }
}
