/// How the store is durable: what a 2xx promises.
public enum Durability: String, Sendable, CaseIterable {
    /// Every acknowledged write is on disk (fsync per group commit).
    case always
    /// Synced every `syncInterval`; a crash can lose the last interval.
    case batched
    /// The OS decides when to write; a crash of the machine can lose recent writes.
    case none
}

/// A point-in-time view of the engine.
public struct StorageStatistics: Sendable, Equatable, Codable {
    public var engine: String
    /// User keys stored (an expired key counts until `removeExpired` deletes it).
    public var entries: Int
    public var bytesOnDisk: Int
    public var bytesInUse: Int
    public var mapSizeBytes: Int
    public var quotaBytes: Int
    public var pageSize: Int
    public var durability: String
    public var gets: Int
    public var puts: Int
    public var deletes: Int
    public var commits: Int
    /// Expired keys deleted by `removeExpired` since open (`kvstore_storage_expired_keys_total`).
    /// Not part of the JSON form (the `/api/v1/stats` body and snapshots stay as they were).
    public var expiredKeysRemoved: Int = 0

    public init(
        engine: String, entries: Int, bytesOnDisk: Int, bytesInUse: Int, mapSizeBytes: Int,
        quotaBytes: Int, pageSize: Int, durability: String, gets: Int, puts: Int, deletes: Int, commits: Int,
        expiredKeysRemoved: Int = 0
    ) {
        self.expiredKeysRemoved = expiredKeysRemoved
        self.engine = engine
        self.entries = entries
        self.bytesOnDisk = bytesOnDisk
        self.bytesInUse = bytesInUse
        self.mapSizeBytes = mapSizeBytes
        self.quotaBytes = quotaBytes
        self.pageSize = pageSize
        self.durability = durability
        self.gets = gets
        self.puts = puts
        self.deletes = deletes
        self.commits = commits
    }

    enum CodingKeys: String, CodingKey {
        case engine, entries, durability, gets, puts, deletes, commits
        case bytesOnDisk = "bytes_on_disk"
        case bytesInUse = "bytes_in_use"
        case mapSizeBytes = "map_size_bytes"
        case quotaBytes = "quota_bytes"
        case pageSize = "page_size"
    }
}
