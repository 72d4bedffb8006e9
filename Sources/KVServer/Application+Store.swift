import Foundation
import KVConfiguration
import KVStorage
import Logging

/// Opens the configured store, observed by the metrics and, at debug level, the database log; answers
/// it with the revision its watch history starts at (a shared store reports its own once connected).
func makeStore(
    configuration: KVStoreConfiguration, metrics: ServerMetrics?, watchFeed: WatchFeed? = nil, logger: Logger,
    now: @escaping @Sendable () -> Date = { Date() }
) throws -> (store: any KeyValueStore, revision: Int64) {
    var observers: [any StorageObserver] = [StorageReadOnlyLog(logger: logger)]
    if let watchFeed { observers.append(watchFeed) }
    if let metrics { observers.append(metrics.storageObserver) }
    if let metrics, configuration.storage.engine == .postgres {
        observers.append(try DatabaseMetricsObserver(registry: metrics.registry, poolSize: configuration.storage.postgres.poolSize))
    }
    if configuration.logging.databaseLog && logger.logLevel <= .debug { observers.append(StorageLogObserver(logger: logger)) }
    let observer: (any StorageObserver)? = observers.count == 1 ? observers[0] : StorageObservers(observers: observers)
    let storage = configuration.storage
    switch storage.engine {
    case .memory:
        let store = InMemoryStore(maxValueBytes: storage.maxValueBytes, quotaBytes: storage.quotaBytes, observer: observer, now: now)
        return (store, try store.currentRevision())
    case .lmdb:
        let store = try LMDBStore(
            options: .init(
                path: storage.path, durability: storage.durability,
                syncInterval: storage.syncInterval, maxValueBytes: storage.maxValueBytes, quotaBytes: storage.quotaBytes),
            observer: observer, now: now)
        return (store, try store.currentRevision())
    case .postgres:
        // Connects in the background: its change feed reports where the watch history starts.
        return (PostgresStore(options: postgresOptions(configuration), observer: observer, logger: logger, now: now), 0)
    }
}

/// The `postgres` engine's options from `storage.*` and `storage.postgres.*`.
func postgresOptions(_ configuration: KVStoreConfiguration) -> PostgresOptions {
    let storage = configuration.storage, postgres = storage.postgres
    return PostgresOptions(
        hosts: postgres.hosts, database: postgres.database, user: postgres.user, password: postgres.effectivePassword,
        poolSize: postgres.poolSize, connectTimeout: postgres.connectTimeoutSeconds, statementTimeout: postgres.statementTimeoutSeconds,
        tls: postgres.tls, schema: postgres.schema, pollInterval: postgres.pollIntervalSeconds,
        changeLogRevisions: Int64(postgres.changeLogRevisions), maxValueBytes: storage.maxValueBytes, quotaBytes: storage.quotaBytes,
        nodeID: configuration.node.id)
}
