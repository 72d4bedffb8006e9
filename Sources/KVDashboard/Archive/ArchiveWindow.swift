import Foundation
import KVSnapshot

/// Loads the snapshots of a dashboard window from an archive folder, with the files it skipped.
public struct ArchiveWindow: Sendable {
    /// The snapshots in the window (one node's, in sequence order) and the files skipped with reasons.
    public var snapshots: [Snapshot]
    public var skipped: [DashboardSkippedFile]
    /// The node shown.
    public var node: String?

    /// Reads `archive` for `window`: `.last(d)` ends at the newest snapshot file's time. With a nil
    /// `node`, the node of the newest file is shown. Throws `SnapshotError` when the folder cannot be listed.
    public init(archive: SnapshotArchive, window: DashboardOptions.Window, node: String? = nil) throws {
        let files = try archive.list()
        let newest = files.max { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
        let component = node.map(SnapshotFileName.nameComponent(forNode:)) ?? newest?.node
        let nodeFiles = files.filter { component == nil || $0.node == component }
        let (from, to): (Date?, Date?)
        switch window {
        case .last(let seconds):
            let end = nodeFiles.map(\.time).max()
            (from, to) = (end.map { $0.addingTimeInterval(-seconds) }, end)
        case .between(let start, let end):
            (from, to) = (Date(timeIntervalSince1970: start), Date(timeIntervalSince1970: end))
        }
        let result = try archive.load(from: from, to: to)
        // Files of other nodes are not "skipped": they are simply not shown.
        snapshots = result.loaded.filter { component == nil || $0.file.node == component }.map(\.snapshot)
        skipped = result.skipped.map(DashboardSkippedFile.init)
        self.node = component
    }
}
