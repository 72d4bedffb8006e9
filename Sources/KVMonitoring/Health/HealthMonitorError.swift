/// A health monitor that cannot be built as asked (for example two checks with one name).
public struct HealthMonitorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One line saying what is wrong.
    public let description: String

    static func duplicateName(_ name: String) -> HealthMonitorError {
        HealthMonitorError(description: "two health checks are named \"\(name)\"; names must be unique")
    }
}
