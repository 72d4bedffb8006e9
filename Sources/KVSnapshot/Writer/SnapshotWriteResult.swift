/// What one `SnapshotWriter.write(_:)` did.
public struct SnapshotWriteResult: Sendable {
    /// The file written.
    public var file: SnapshotFileInfo
    /// The document as written (with the writer's sequence, node id and normalised time).
    public var snapshot: Snapshot
    /// Encoding, compression, the atomic write and retention, on a monotonic clock.
    public var duration: Duration
    /// Snapshot files retention removed, oldest first.
    public var removed: [SnapshotRetention.Removal]
    /// Stale temporary files removed.
    public var removedTemporaryFiles: [String]
    /// Files retention could not remove (the write itself succeeded).
    public var retentionErrors: [SnapshotError]
    /// The node's snapshot files after retention.
    public var archiveFiles: Int
    /// Their total size in bytes.
    public var archiveBytes: Int
}
