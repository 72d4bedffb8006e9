import KVStorage
import Logging

/// The one error line when the store turns read-only, and the one line when opening migrated the
/// data folder's layout (always installed, whatever the log settings).
struct StorageReadOnlyLog: StorageObserver {
    let logger: Logger

    func storageDidPerform(_ operation: StorageOperation, key: String?, seconds: Double, batchSize: Int, error: StorageError?) {}

    func storageDidBecomeReadOnly(_ error: StorageError) {
        logger.error("storage is read-only until restart", metadata: ["error": .string(error.description)])
    }

    func storageDidMigrateLayout(_ migration: LayoutMigration) {
        logger.notice("\(migration.description)", metadata: [
            "from_layout": .stringConvertible(migration.fromLayout), "to_layout": .stringConvertible(migration.toLayout),
            "keys": .stringConvertible(migration.keys), "duration_ms": .stringConvertible(Int(migration.seconds * 1000)),
        ])
    }
}
