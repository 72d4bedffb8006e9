/// A snapshot loaded from the archive, with the file it came from.
public struct ArchivedSnapshot: Sendable {
    /// The file.
    public var file: SnapshotFileInfo
    /// Its document.
    public var snapshot: Snapshot
}
