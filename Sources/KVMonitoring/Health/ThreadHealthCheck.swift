import KVSnapshot

/// The process's OS thread count against a limit, to catch thread leaks (the seed's goroutine
/// check): degraded from `degradedRatio × limit`, unhealthy over it; details `threads`,
/// `limit`, `usage_ratio`.
public struct ThreadHealthCheck: HealthCheck {
    public let name: String
    public var kind: String { "threads" }
    public let critical: Bool
    public let includedInLiveness: Bool
    public let interval: Duration
    public let timeout: Duration
    /// The most threads considered normal (`health.thread_limit`).
    public let limit: Int
    /// The share of the limit from which the check warns (0–1).
    public let degradedRatio: Double
    private let threadCount: @Sendable () -> Double?

    /// Creates the check; `threadCount` defaults to `Threads:` in `/proc/self/status`.
    public init(
        name: String = "threads",
        limit: Int = 10_000,
        degradedRatio: Double = 0.9,
        critical: Bool = false,
        includedInLiveness: Bool = true,
        interval: Duration = .seconds(10),
        timeout: Duration = .seconds(2),
        threadCount: @escaping @Sendable () -> Double? = { ProcessMetricsCollector().read(startTime: false).threads }
    ) {
        self.name = name
        self.limit = limit
        self.degradedRatio = degradedRatio
        self.critical = critical
        self.includedInLiveness = includedInLiveness
        self.interval = interval
        self.timeout = timeout
        self.threadCount = threadCount
    }

    public func run() async -> HealthCheckOutcome {
        guard let threads = self.threadCount() else {
            return .warn("Thread count could not be read", details: ["limit": .number(Double(self.limit))])
        }
        let limit = Double(self.limit)
        let ratio = limit > 0 ? threads / limit : .infinity
        let details: [String: HealthDetailValue] = [
            "threads": .number(threads),
            "limit": .number(limit),
            "usage_ratio": .number((ratio * 10000).rounded() / 10000),
        ]
        let usage = "\(Int(threads)) of \(self.limit) (\(HealthText.percent(ratio)))"
        if threads > limit {
            return .fail("Thread count is over the limit: \(usage)", details: details)
        }
        if ratio >= self.degradedRatio {
            return .warn("Thread count is high: \(usage)", details: details)
        }
        return .pass("Thread count is normal: \(usage)", details: details)
    }
}
