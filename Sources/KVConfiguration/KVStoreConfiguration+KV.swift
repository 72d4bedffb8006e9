extension KVStoreConfiguration {
    /// The limits of the KV API beyond single keys: transactions, expiry and watches.
    public struct KV: Sendable, Equatable {
        /// The bounds the parser enforces.
        public static let maxOperationsRange = 1...10_000
        public static let maxTransactionBytesRange = 1024...(1 << 30)
        public static let sweepBatchRange = 1...100_000
        public static let watchHistoryRange = 1...10_000_000
        public static let maxWatchersRange = 1...1_000_000

        /// Key `kv.txn.max_operations`: the most compares plus operations in one `POST /api/v1/txn`.
        public var maxTransactionOperations: Int
        /// Key `kv.txn.max_bytes`: the largest transaction body.
        public var maxTransactionBytes: Int
        /// Key `kv.expiry.sweep_interval_seconds`: seconds between two runs of the expiry sweeper.
        public var sweepIntervalSeconds: Double
        /// Key `kv.expiry.sweep_batch`: the most expired keys one sweep deletes (in one commit).
        public var sweepBatch: Int
        /// Key `kv.watch.history`: the changes kept in memory for watches (older revisions are compacted).
        public var watchHistory: Int
        /// Key `kv.watch.max_watchers`: the most long polls and streams open at once.
        public var maxWatchers: Int
        /// Key `kv.watch.max_timeout_seconds`: the longest a long poll may wait.
        public var maxWatchTimeoutSeconds: Double

        public init(
            maxTransactionOperations: Int = 128, maxTransactionBytes: Int = 4 << 20,
            sweepIntervalSeconds: Double = 1, sweepBatch: Int = 1000,
            watchHistory: Int = 10_000, maxWatchers: Int = 1000, maxWatchTimeoutSeconds: Double = 300
        ) {
            self.maxTransactionOperations = maxTransactionOperations
            self.maxTransactionBytes = maxTransactionBytes
            self.sweepIntervalSeconds = sweepIntervalSeconds
            self.sweepBatch = sweepBatch
            self.watchHistory = watchHistory
            self.maxWatchers = maxWatchers
            self.maxWatchTimeoutSeconds = maxWatchTimeoutSeconds
        }
    }
}
