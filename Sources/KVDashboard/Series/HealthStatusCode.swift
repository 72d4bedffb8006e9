import KVSnapshot

/// A check's status at one time, compactly, including "not reported".
public enum HealthStatusCode: UInt8, Sendable, Equatable {
    case absent
    case healthy
    case degraded
    case unhealthy

    public init(_ status: HealthStatus?) {
        switch status {
        case nil: self = .absent
        case .healthy: self = .healthy
        case .degraded: self = .degraded
        case .unhealthy: self = .unhealthy
        }
    }

    /// The name shown to people and used as a CSS class suffix (a fixed word, never data).
    public var name: String {
        switch self {
        case .absent: "no data"
        case .healthy: "healthy"
        case .degraded: "degraded"
        case .unhealthy: "unhealthy"
        }
    }
}
