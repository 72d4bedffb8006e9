extension KVStoreConfiguration {
    /// The periodic JSON snapshots of health and metrics, and how long they are kept.
    public struct Snapshots: Sendable, Equatable {
        /// Key `snapshots.enabled`: write snapshots at all.
        public var enabled: Bool
        /// Key `snapshots.dir`: the folder of the snapshot files; relative to the working directory.
        public var directory: String
        /// Key `snapshots.interval_seconds`: seconds between two snapshots, at least 0.01.
        public var intervalSeconds: Double
        /// Key `snapshots.max_files`: the most snapshot files kept.
        public var maxFiles: Int
        /// Key `snapshots.max_bytes`: the most bytes the snapshot files may take together.
        public var maxBytes: Int
        /// Key `snapshots.max_age`: seconds after which a snapshot file is deleted.
        public var maxAgeSeconds: Double
        /// Key `snapshots.compress`: gzip each file (`.json.gz`).
        public var compress: Bool

        public init(
            enabled: Bool = true,
            directory: String = "./snapshots",
            intervalSeconds: Double = 15,
            maxFiles: Int = 5760,
            maxBytes: Int = 1 << 30,
            maxAgeSeconds: Double = 7 * 86400,
            compress: Bool = false
        ) {
            self.enabled = enabled
            self.directory = directory
            self.intervalSeconds = intervalSeconds
            self.maxFiles = maxFiles
            self.maxBytes = maxBytes
            self.maxAgeSeconds = maxAgeSeconds
            self.compress = compress
        }
    }
}
