/// Every setting of a kvstore server, with the embedded defaults of each environment profile.
///
/// Build one with ``ConfigurationLoader/load(file:environment:overrides:)`` to get the layered
/// result (defaults < profile < file < environment variables < command line), or directly
/// (`KVStoreConfiguration(environment: .production)`) in tests.
public struct KVStoreConfiguration: Sendable, Equatable {
    /// The deployment environment; it picks the profile whose defaults apply.
    public enum Environment: String, Sendable, CaseIterable {
        case development
        case production
    }

    /// Key `environment`.
    public var environment: Environment
    /// Keys `server.*`.
    public var server: Server
    /// Keys `storage.*`.
    public var storage: Storage
    /// Keys `kv.*`.
    public var kv: KV
    /// Keys `logging.*`.
    public var logging: Logging
    /// Keys `metrics.*`.
    public var metrics: Metrics
    /// Keys `node.*`.
    public var node: Node
    /// Keys `cluster.*`.
    public var cluster: Cluster
    /// Keys `health.*`.
    public var health: Health
    /// Keys `snapshots.*`.
    public var snapshots: Snapshots
    /// Keys `alerts.*`.
    public var alerts: Alerts
    /// Keys `security.*`.
    public var security: Security
    /// Keys `dashboard.*`.
    public var dashboard: Dashboard
    /// Keys `slo.*`.
    public var slo: SLO

    /// The embedded defaults: the development profile.
    public init() {
        self.init(environment: .development)
    }

    /// The embedded defaults with the profile of `environment` applied.
    public init(environment: Environment) {
        self.environment = environment
        self.server = Server()
        self.storage = Storage()
        self.kv = KV()
        // The node, health and snapshot defaults are the same in every profile.
        self.node = Node()
        self.cluster = Cluster()
        self.health = Health()
        self.snapshots = Snapshots()
        self.alerts = Alerts()
        self.security = Security()
        self.dashboard = Dashboard()
        self.slo = SLO()
        switch environment {
        case .development:
            self.logging = Logging(level: .debug, performanceLog: true, databaseLog: true)
            self.metrics = Metrics(port: nil)
        case .production:
            self.logging = Logging(level: .info, performanceLog: false, databaseLog: false)
            self.metrics = Metrics(port: 2112)
            self.security.rateLimit.requestsPerSecond = 1000
        }
    }
}
