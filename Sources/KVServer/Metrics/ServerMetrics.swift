import KVConfiguration
import KVSnapshot
import KVMonitoring
import KVStorage
import Logging

/// Every metric family the server records, registered once at start-up, and the scraper
/// that renders them.
final class ServerMetrics: Sendable {
    let registry: MetricsRegistry
    let scraper: MetricsScraper
    let http: HTTPFamilies
    let storageObserver: StorageMetricsObserver
    /// `kvstore_kv_conditional_failures_total`, by `op`.
    let kvConditionalFailures: CounterFamily
    let transactions: TransactionMetrics

    init(configuration: KVStoreConfiguration.Metrics, logger: Logger) throws {
        registry = MetricsRegistry(maxSeriesPerFamily: configuration.maxSeriesPerFamily, logger: logger)
        http = HTTPFamilies(
            requests: try registry.registerCounter(KVMetrics.httpRequestsTotal),
            duration: try registry.registerHistogram(KVMetrics.requestDurationSeconds, buckets: configuration.durationBuckets),
            requestSize: try registry.registerHistogram(KVMetrics.httpRequestSizeBytes, buckets: configuration.sizeBuckets),
            responseSize: try registry.registerHistogram(KVMetrics.httpResponseSizeBytes, buckets: configuration.sizeBuckets),
            inFlight: try registry.registerGauge(KVMetrics.httpRequestsInFlight).labels())
        kvConditionalFailures = try registry.registerCounter(KVMetrics.kvConditionalFailuresTotal)
        storageObserver = try StorageMetricsObserver(registry: registry, durationBuckets: configuration.durationBuckets)
        transactions = try TransactionMetrics(registry: registry)
        scraper = try MetricsScraper(registry: registry)
        try ProcessMetricsCollector().install(on: registry)
        try BuildInfo(version: KVStoreVersion.version, revision: KVStoreVersion.revision).install(on: registry)
    }

    /// Storage gauges, read from the store's statistics when scraped.
    func installStorageCollector(store: any KeyValueStore) throws {
        let size = try registry.registerGauge(KVMetrics.storageSizeBytes).labels()
        let keys = try registry.registerGauge(KVMetrics.storageKeys).labels()
        let mapSize = try registry.registerGauge(KVMetrics.storageMapSizeBytes).labels()
        let quota = try registry.registerGauge(KVMetrics.storageQuotaBytes).labels()
        let readOnly = try registry.registerGauge(KVMetrics.storageReadOnly).labels()
        let expired = try registry.registerCounter(KVMetrics.storageExpiredKeysTotal).labels()
        registry.addCollector {
            readOnly.set(store.readOnlyReason == nil ? 0 : 1)
            guard let stats = try? store.statistics() else { return }
            size.set(stats.engine == "memory" ? stats.bytesInUse : stats.bytesOnDisk)
            keys.set(stats.entries)
            mapSize.set(stats.mapSizeBytes)
            quota.set(stats.quotaBytes)
            expired.set(total: Double(stats.expiredKeysRemoved))
        }
    }
}
