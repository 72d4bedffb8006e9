/// Why a family could not be registered; thrown at start-up, never a trap at run time.
///
/// Two errors compare equal when they are of the same kind, whatever their details.
public struct MetricsRegistryError: Error, Equatable, CustomStringConvertible {
    private enum Kind: Equatable {
        case conflictingRegistration
        case typeMismatch
        case invalidName
        case invalidLabelName
        case invalidBuckets
        case invalidQuantiles
    }

    private let kind: Kind
    /// The metric family involved.
    public let metricName: String
    /// What was wrong, for logs.
    public let reason: String

    private init(_ kind: Kind, metricName: String = "", reason: String = "") {
        self.kind = kind
        self.metricName = metricName
        self.reason = reason
    }

    /// The name is already registered with a different type, help, unit, labels, buckets or quantiles.
    public static var conflictingRegistration: Self { .init(.conflictingRegistration) }
    /// The descriptor's type is not the kind of family asked for.
    public static var typeMismatch: Self { .init(.typeMismatch) }
    /// The metric name is not a valid Prometheus metric name.
    public static var invalidName: Self { .init(.invalidName) }
    /// A label name is invalid, reserved (`__*`, `le`, `quantile`) or repeated.
    public static var invalidLabelName: Self { .init(.invalidLabelName) }
    /// Histogram bounds are empty, not finite, or not strictly increasing.
    public static var invalidBuckets: Self { .init(.invalidBuckets) }
    /// Summary quantiles are outside 0...1 or not strictly increasing, or the window is not positive.
    public static var invalidQuantiles: Self { .init(.invalidQuantiles) }

    /// The same kind of error, about `metricName`, saying `reason`.
    func about(_ metricName: String, _ reason: String) -> Self {
        .init(self.kind, metricName: metricName, reason: reason)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.kind == rhs.kind
    }

    /// A one-line description for logs.
    public var description: String {
        "MetricsRegistryError.\(self.kind) for \(self.metricName): \(self.reason)"
    }
}
