import KVMonitoring
import KVStorage

/// Records `kvstore_storage_*` for every storage operation: count, errors and duration by op.
struct StorageMetricsObserver: StorageObserver {
    private struct Instruments: Sendable {
        let operations: Counter
        let errors: Counter
        let duration: Histogram
    }
    /// Indexed like `StorageOperation.allCases`; resolved once at start-up.
    private let instruments: [Instruments]
    private let commitBatchSize: Histogram

    init(registry: MetricsRegistry, durationBuckets: [Double]) throws {
        let operations = try registry.registerCounter(KVMetrics.storageOperationsTotal)
        let errors = try registry.registerCounter(KVMetrics.storageErrorsTotal)
        let duration = try registry.registerHistogram(KVMetrics.storageOperationDurationSeconds, buckets: durationBuckets)
        commitBatchSize = try registry.registerHistogram(KVMetrics.storageCommitBatchSize, buckets: KVMetrics.commitBatchSizeBuckets).labels()
        instruments = StorageOperation.allCases.map { op in
            Instruments(operations: operations.labels(op.rawValue), errors: errors.labels(op.rawValue), duration: duration.labels(op.rawValue))
        }
    }

    func storageDidPerform(_ operation: StorageOperation, key: String?, seconds: Double, batchSize: Int, error: StorageError?) {
        let instrument = instruments[Self.index(operation)]
        instrument.operations.increment()
        if error != nil { instrument.errors.increment() }
        instrument.duration.observe(seconds)
    }

    func storageDidCommitBatch(writes: Int) {
        commitBatchSize.observe(Double(writes))
    }

    static func index(_ operation: StorageOperation) -> Int {
        switch operation {
        case .get: 0
        case .put: 1
        case .delete: 2
        case .list: 3
        case .commit: 4
        }
    }
}

/// Fans one storage event out to several observers (metrics and database logging).
struct StorageObservers: StorageObserver {
    let observers: [any StorageObserver]

    func storageDidPerform(_ operation: StorageOperation, key: String?, seconds: Double, batchSize: Int, error: StorageError?) {
        for observer in observers {
            observer.storageDidPerform(operation, key: key, seconds: seconds, batchSize: batchSize, error: error)
        }
    }

    func storageDidCommitBatch(writes: Int) {
        for observer in observers { observer.storageDidCommitBatch(writes: writes) }
    }

    func storageDidBecomeReadOnly(_ error: StorageError) {
        for observer in observers { observer.storageDidBecomeReadOnly(error) }
    }

    func storageDidCommit(_ changes: [StorageChange]) {
        for observer in observers { observer.storageDidCommit(changes) }
    }

    func storageDidMigrateLayout(_ migration: LayoutMigration) {
        for observer in observers { observer.storageDidMigrateLayout(migration) }
    }

    func storageFeedDidRestart(atRevision revision: Int64) {
        for observer in observers { observer.storageFeedDidRestart(atRevision: revision) }
    }

    func storageDidCallDatabase(_ call: DatabaseCall) {
        for observer in observers { observer.storageDidCallDatabase(call) }
    }

    func storageConnectionsInUse(_ count: Int) {
        for observer in observers { observer.storageConnectionsInUse(count) }
    }
}
