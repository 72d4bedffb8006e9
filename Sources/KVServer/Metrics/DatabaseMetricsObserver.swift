import KVMonitoring
import KVStorage

/// Records `kvstore_postgres_*` for a shared store's database calls: connections in use, the pool's
/// size, the wait for a connection, the time on it by operation, and failures by reason.
struct DatabaseMetricsObserver: StorageObserver {
    private let inUse: Gauge
    private let wait: Histogram
    private let durations: [DatabaseCall.Operation: Histogram]
    private let unavailable: Counter
    private let statement: Counter

    static let waitBuckets = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]
    static let durationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5]

    init(registry: MetricsRegistry, poolSize: Int) throws {
        inUse = try registry.registerGauge(KVMetrics.postgresConnectionsInUse).labels()
        try registry.registerGauge(KVMetrics.postgresPoolSize).labels().set(poolSize)
        wait = try registry.registerHistogram(KVMetrics.postgresWaitSeconds, buckets: Self.waitBuckets).labels()
        let duration = try registry.registerHistogram(KVMetrics.postgresQueryDurationSeconds, buckets: Self.durationBuckets)
        durations = Dictionary(uniqueKeysWithValues: DatabaseCall.Operation.allCases.map { ($0, duration.labels($0.rawValue)) })
        let errors = try registry.registerCounter(KVMetrics.postgresErrorsTotal)
        unavailable = errors.labels("unavailable")
        statement = errors.labels("statement")
    }

    func storageDidPerform(_ operation: StorageOperation, key: String?, seconds: Double, batchSize: Int, error: StorageError?) {}

    func storageDidCallDatabase(_ call: DatabaseCall) {
        wait.observe(call.waitSeconds)
        if call.seconds > 0 { durations[call.operation]?.observe(call.seconds) }
        switch call.failure?.code {
        case nil: break
        case .unavailable?, .closed?: unavailable.increment()
        default: statement.increment()
        }
    }

    func storageConnectionsInUse(_ count: Int) {
        inUse.set(count)
    }
}
