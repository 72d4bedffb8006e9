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
    }
}
