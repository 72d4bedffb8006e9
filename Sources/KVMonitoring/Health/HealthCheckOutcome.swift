import KVSnapshot

/// The raw result of one run of a check, before thresholds: pass (`healthy`), warn
/// (`degraded`) or fail (`unhealthy`), with a sentence and measurements.
public struct HealthCheckOutcome: Sendable, Equatable {
    /// `healthy` = pass, `degraded` = warn, `unhealthy` = fail.
    public var status: HealthStatus
    /// One human-readable sentence.
    public var message: String
    /// Measurements of this run.
    public var details: [String: HealthDetailValue]

    /// Creates an outcome.
    public init(status: HealthStatus, message: String, details: [String: HealthDetailValue] = [:]) {
        self.status = status
        self.message = message
        self.details = details
    }

    /// A passing run.
    public static func pass(_ message: String, details: [String: HealthDetailValue] = [:]) -> HealthCheckOutcome {
        HealthCheckOutcome(status: .healthy, message: message, details: details)
    }

    /// A run that works but warns (counts as not failing).
    public static func warn(_ message: String, details: [String: HealthDetailValue] = [:]) -> HealthCheckOutcome {
        HealthCheckOutcome(status: .degraded, message: message, details: details)
    }

    /// A failed run.
    public static func fail(_ message: String, details: [String: HealthDetailValue] = [:]) -> HealthCheckOutcome {
        HealthCheckOutcome(status: .unhealthy, message: message, details: details)
    }
}
