import Logging
import KVStorage

/// Database logging: one debug line per storage operation (`logging.enable_database_logging`).
struct StorageLogObserver: StorageObserver {
    let logger: Logger

    func storageDidPerform(_ operation: StorageOperation, key: String?, seconds: Double, batchSize: Int, error: StorageError?) {
        var metadata: Logger.Metadata = ["op": .string(operation.rawValue), "duration_ms": .string(String(format: "%.3f", seconds * 1000))]
        if let key { metadata["key_bytes"] = .stringConvertible(key.utf8.count) }
        if operation == .commit { metadata["batch"] = .stringConvertible(batchSize) }
        if let error {
            logger.warning("storage operation failed", metadata: metadata.merging(["error": .string(error.description)]) { $1 })
        } else {
            logger.debug("storage operation", metadata: metadata)
        }
    }
}
