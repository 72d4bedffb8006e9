/// What `SnapshotArchive.load` found: the readable snapshots in sequence order, and the rest.
public struct SnapshotLoadResult: Sendable {
    /// Loaded files in sequence order (by node, then sequence).
    public var loaded: [ArchivedSnapshot]
    /// Files passed over, with the reason, in name order.
    public var skipped: [SkippedSnapshotFile]

    public init(loaded: [ArchivedSnapshot], skipped: [SkippedSnapshotFile]) {
        self.loaded = loaded
        self.skipped = skipped
    }

    /// The loaded documents in sequence order.
    public var snapshots: [Snapshot] { loaded.map(\.snapshot) }
}
