import KVSnapshot

/// Resident memory against a limit: degraded from `degradedRatio × limit`, unhealthy over the
/// limit; details `resident_bytes`, `limit_bytes`, `usage_ratio`.
public struct MemoryHealthCheck: HealthCheck {
    public let name: String
    public var kind: String { "memory" }
    public let critical: Bool
    public let includedInLiveness: Bool
    public let interval: Duration
    public let timeout: Duration
    /// The limit in bytes.
    public let limitBytes: Double
    /// The share of the limit from which the check warns (0–1).
    public let degradedRatio: Double
    private let residentBytes: @Sendable () -> Double?

    /// Creates the check.
    ///
    /// - Parameters:
    ///   - limitMegabytes: the limit in MiB (`health.memory_limit_mb`, seed default 1024).
    ///   - residentBytes: reads resident memory; defaults to `/proc/self/stat`.
    public init(
        name: String = "memory",
        limitMegabytes: Double = 1024,
        degradedRatio: Double = 0.9,
        critical: Bool = false,
        includedInLiveness: Bool = true,
        interval: Duration = .seconds(10),
        timeout: Duration = .seconds(2),
        residentBytes: @escaping @Sendable () -> Double? = { ProcessMetricsCollector().read(startTime: false).residentMemoryBytes }
    ) {
        self.name = name
        self.limitBytes = limitMegabytes * 1024 * 1024
        self.degradedRatio = degradedRatio
        self.critical = critical
        self.includedInLiveness = includedInLiveness
        self.interval = interval
        self.timeout = timeout
        self.residentBytes = residentBytes
    }

    public func run() async -> HealthCheckOutcome {
        guard let resident = self.residentBytes() else {
            return .warn("Resident memory could not be read", details: ["limit_bytes": .number(self.limitBytes)])
        }
        let ratio = self.limitBytes > 0 ? resident / self.limitBytes : .infinity
        let details: [String: HealthDetailValue] = [
            "resident_bytes": .number(resident),
            "limit_bytes": .number(self.limitBytes),
            "usage_ratio": .number((ratio * 10000).rounded() / 10000),
        ]
        let usage = "\(HealthText.bytes(resident)) of \(HealthText.bytes(self.limitBytes)) (\(HealthText.percent(ratio)))"
        if resident > self.limitBytes {
            return .fail("Memory usage is over the limit: \(usage)", details: details)
        }
        if ratio >= self.degradedRatio {
            return .warn("Memory usage is high: \(usage)", details: details)
        }
        return .pass("Memory usage is normal: \(usage)", details: details)
    }
}
