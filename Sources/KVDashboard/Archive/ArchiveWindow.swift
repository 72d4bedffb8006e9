import Foundation
import KVSnapshot

/// Loads the snapshots of a dashboard window from an archive folder, with the files it skipped.
public struct ArchiveWindow: Sendable {
    /// The snapshots in the window (one node's, in sequence order) and the files skipped with reasons.
    public var snapshots: [Snapshot]
    public var skipped: [DashboardSkippedFile]
    /// The node shown.
    public var node: String?
    /// The window read: `window` resolved against the node's newest file name. Nil for `.last`
    /// when the node has no file, and then every file was read.
    public var bounds: DashboardWindow?
    /// The time of the node's oldest snapshot file, in the window or not; nil when it has none.
    public var historyStart: Date?

    /// Reads `archive` for `window`: `.last(d)` ends at the newest snapshot file's time
    /// and starts no earlier than the oldest. With a nil
    /// `node`, the node of the newest file is shown. Throws `SnapshotError` when the folder cannot be listed.
    public init(archive: SnapshotArchive, window: DashboardOptions.Window, node: String? = nil) throws {
        try self.init(archives: ArchiveSet([archive]), window: window, node: node)
    }

    /// Reads the folders of `archives` as one archive, as `init(archive:window:node:)` reads one.
    public init(archives: ArchiveSet, window: DashboardOptions.Window, node: String? = nil) throws {
        let files = try archives.list()
        let newest = files.max { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
        let component = node.map(SnapshotFileName.nameComponent(forNode:)) ?? newest?.node
        let nodeFiles = files.filter { component == nil || $0.node == component }
        let oldest = nodeFiles.map(\.time).min()
        let bounds = DashboardWindow(window, newest: nodeFiles.map(\.time).max()?.timeIntervalSince1970,
                                     oldest: oldest?.timeIntervalSince1970)
        let result = try archives.load(from: bounds?.fromDate, to: bounds?.toDate)
        // Files of other nodes are not "skipped": they are simply not shown.
        snapshots = result.loaded.filter { component == nil || $0.file.node == component }.map(\.snapshot)
        skipped = result.skipped.map(DashboardSkippedFile.init)
        self.node = component
        self.bounds = bounds
        historyStart = oldest
    }
}
