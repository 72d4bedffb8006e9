/// A check whose run is a closure: lets the server build checks (storage, snapshot writer)
/// from parts this library does not know.
public struct ClosureHealthCheck: HealthCheck {
    public let name: String
    public let kind: String
    public let critical: Bool
    public let includedInLiveness: Bool
    public let interval: Duration
    public let timeout: Duration
    private let body: @Sendable () async -> HealthCheckOutcome

    /// Creates a check that runs `body`.
    public init(
        name: String,
        kind: String,
        critical: Bool,
        includedInLiveness: Bool = true,
        interval: Duration,
        timeout: Duration,
        _ body: @escaping @Sendable () async -> HealthCheckOutcome
    ) {
        self.name = name
        self.kind = kind
        self.critical = critical
        self.includedInLiveness = includedInLiveness
        self.interval = interval
        self.timeout = timeout
        self.body = body
    }

    public func run() async -> HealthCheckOutcome {
        await self.body()
    }
}
