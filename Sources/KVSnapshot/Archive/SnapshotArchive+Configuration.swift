extension SnapshotArchive {
    /// Limits that bound what reading one file can cost.
    public struct Configuration: Sendable {
        /// Files larger than this are skipped as too large, before reading (default 16 MiB).
        public var maxFileBytes: Int
        /// The most a compressed file may decompress to (default 64 MiB).
        public var maxDecompressedBytes: Int

        /// Creates limits.
        public init(maxFileBytes: Int = 16 << 20, maxDecompressedBytes: Int = 64 << 20) {
            self.maxFileBytes = maxFileBytes
            self.maxDecompressedBytes = maxDecompressedBytes
        }
    }
}
