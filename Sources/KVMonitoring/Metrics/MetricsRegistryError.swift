/// Why a family could not be registered; thrown at start-up, never a trap at run time.
///
/// Match on `code` (`error.code == .conflictingRegistration`); the name and reason are details for logs.
public struct MetricsRegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for matching.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case conflictingRegistration, typeMismatch, invalidName, invalidLabelName, invalidBuckets, invalidQuantiles
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The name is already registered with a different type, help, unit, labels, buckets or quantiles.
        public static let conflictingRegistration = Code(.conflictingRegistration)
        /// The descriptor's type is not the kind of family asked for.
        public static let typeMismatch = Code(.typeMismatch)
        /// The metric name is not a valid Prometheus metric name.
        public static let invalidName = Code(.invalidName)
        /// A label name is invalid, reserved (`__*`, `le`, `quantile`) or repeated.
        public static let invalidLabelName = Code(.invalidLabelName)
        /// Histogram bounds are empty, not finite, or not strictly increasing.
        public static let invalidBuckets = Code(.invalidBuckets)
        /// Summary quantiles are outside 0...1 or not strictly increasing, or the window is not positive.
        public static let invalidQuantiles = Code(.invalidQuantiles)

        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// The metric family involved.
    public let metricName: String
    /// What was wrong, for logs.
    public let reason: String

    /// Creates an error about `metricName`, saying `reason`.
    public init(_ code: Code, metricName: String, reason: String) {
        self.code = code
        self.metricName = metricName
        self.reason = reason
    }

    /// A one-line description for logs.
    public var description: String {
        "MetricsRegistryError.\(self.code) for \(self.metricName): \(self.reason)"
    }
}
