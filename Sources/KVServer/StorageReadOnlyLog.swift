import KVStorage
import Logging

/// The one error line when the store turns read-only (always installed, whatever the log settings).
struct StorageReadOnlyLog: StorageObserver {
    let logger: Logger

    func storageDidPerform(_ operation: StorageOperation, key: String?, seconds: Double, batchSize: Int, error: StorageError?) {}

    func storageDidBecomeReadOnly(_ error: StorageError) {
        logger.error("storage is read-only until restart", metadata: ["error": .string(error.description)])
    }
}
