import KVSnapshot
import KVStorage

extension StorageSnapshot {
    /// The part of the engine's statistics a snapshot records: every field but the operation
    /// counters (`gets`, `puts`, `deletes`, `commits`), which the snapshot schema does not hold.
    ///
    /// The only place a `StorageSnapshot` is made from `StorageStatistics`; the JSON field names
    /// of both come from their `CodingKeys`, and `StorageSnapshotMappingTests` pins that they agree.
    init(_ stats: StorageStatistics) {
        self.init(engine: stats.engine, entries: stats.entries, bytesOnDisk: stats.bytesOnDisk, bytesInUse: stats.bytesInUse,
                  mapSizeBytes: stats.mapSizeBytes, quotaBytes: stats.quotaBytes, pageSize: stats.pageSize, durability: stats.durability)
    }
}
