/// Storage statistics as recorded in a snapshot.
public struct StorageSnapshot: Codable, Sendable, Equatable {
    public var engine: String
    public var entries: Int
    public var bytesOnDisk: Int
    public var bytesInUse: Int
    public var mapSizeBytes: Int
    public var quotaBytes: Int
    public var pageSize: Int
    public var durability: String

    public init(engine: String, entries: Int, bytesOnDisk: Int, bytesInUse: Int, mapSizeBytes: Int, quotaBytes: Int,
                pageSize: Int, durability: String) {
        self.engine = engine
        self.entries = entries
        self.bytesOnDisk = bytesOnDisk
        self.bytesInUse = bytesInUse
        self.mapSizeBytes = mapSizeBytes
        self.quotaBytes = quotaBytes
        self.pageSize = pageSize
        self.durability = durability
    }

    enum CodingKeys: String, CodingKey {
        case engine, entries, durability
        case bytesOnDisk = "bytes_on_disk"
        case bytesInUse = "bytes_in_use"
        case mapSizeBytes = "map_size_bytes"
        case quotaBytes = "quota_bytes"
        case pageSize = "page_size"
    }
}
