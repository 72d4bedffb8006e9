/// The status of one check or of the whole server.
public enum HealthStatus: String, Codable, Sendable, CaseIterable, Comparable {
    case healthy
    case degraded
    case unhealthy

    /// The IETF health-check draft's name for this status.
    public var ietfStatus: String {
        switch self {
        case .healthy: "pass"
        case .degraded: "warn"
        case .unhealthy: "fail"
        }
    }

    /// The status's place in the order, worst highest: healthy 0, degraded 1, unhealthy 2.
    /// Also the value health alerts compare with their threshold.
    public var rank: Int {
        switch self {
        case .healthy: 0
        case .degraded: 1
        case .unhealthy: 2
        }
    }

    public static func < (lhs: HealthStatus, rhs: HealthStatus) -> Bool { lhs.rank < rhs.rank }
}
