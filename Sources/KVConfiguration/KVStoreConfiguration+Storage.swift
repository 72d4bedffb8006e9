import KVStorage

extension KVStoreConfiguration {
    /// How and where key-value data is kept.
    public struct Storage: Sendable, Equatable {
        /// The storage implementation.
        public enum Engine: String, Sendable, CaseIterable {
            /// Durable, on disk (LMDB).
            case lmdb
            /// In process memory; lost when the server stops.
            case memory
        }

        /// When a write reaches the disk: the store's own ``KVStorage/Durability``, parsed straight from `storage.durability`.
        public typealias Durability = KVStorage.Durability

        /// Key `storage.engine`.
        public var engine: Engine
        /// Key `storage.path`: the data directory.
        public var path: String
        /// Key `storage.durability`.
        public var durability: Durability
        /// Key `storage.sync_interval`: seconds between syncs in `batched` mode.
        public var syncInterval: Double
        /// Key `storage.max_value_bytes`: the largest value accepted.
        public var maxValueBytes: Int
        /// Key `storage.quota_bytes`: the most the store may grow to on disk.
        public var quotaBytes: Int

        public init(
            engine: Engine = .lmdb,
            path: String = "./data",
            durability: Durability = .always,
            syncInterval: Double = 1,
            maxValueBytes: Int = 1 << 20,
            quotaBytes: Int = 8 << 30
        ) {
            self.engine = engine
            self.path = path
            self.durability = durability
            self.syncInterval = syncInterval
            self.maxValueBytes = maxValueBytes
            self.quotaBytes = quotaBytes
        }
    }
}
