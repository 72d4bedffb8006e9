import Foundation
import KVSnapshot

/// Loads one window of every node of an archive: the fleet overview's input.
///
/// The window is resolved once, for the whole fleet: `.last(d)` ends at the newest snapshot file
/// of any node, so every node is shown over the same stretch of time (a node that stopped
/// writing shows as stale, not as a page of its own older window).
public struct FleetArchiveWindow: Sendable {
    /// One node's snapshots in the window.
    public struct Node: Sendable {
        /// The node as it appears in file names (letters, digits, `.`, `_`, `-`): the folder of its page.
        public var component: String
        /// Its snapshots in the window, in sequence order; empty when it has files only outside the window.
        public var snapshots: [Snapshot]
    }

    /// Every node with a file in the archive, by `component`.
    public var nodes: [Node]
    /// The files skipped, with reasons.
    public var skipped: [DashboardSkippedFile]
    /// `window` resolved against the newest and oldest file names of any node; nil for `.last` in an empty archive.
    public var bounds: DashboardWindow?
    /// The times of the newest and the oldest file of any node, seconds since 1970; nil in an empty archive.
    public var newestFile: Double?
    public var oldestFile: Double?

    /// Reads `archives` for `window`. Throws `SnapshotError` when a folder cannot be listed.
    public init(archives: ArchiveSet, window: DashboardOptions.Window) throws {
        let files = try archives.list()
        newestFile = files.map(\.time).max()?.timeIntervalSince1970
        oldestFile = files.map(\.time).min()?.timeIntervalSince1970
        let bounds = DashboardWindow(window, newest: newestFile, oldest: oldestFile)
        let result = try archives.load(from: bounds?.fromDate, to: bounds?.toDate)
        var byNode: [String: [Snapshot]] = Dictionary(uniqueKeysWithValues: Set(files.map(\.node)).map { ($0, [Snapshot]()) })
        for archived in result.loaded {
            byNode[archived.file.node, default: []].append(archived.snapshot)
        }
        nodes = byNode.keys.sorted().map { Node(component: $0, snapshots: byNode[$0] ?? []) }
        skipped = result.skipped.map(DashboardSkippedFile.init)
        self.bounds = bounds
    }

    /// The same fleet over `window`, which must lie within the window read (a shorter range of it).
    public func narrowed(to window: DashboardOptions.Window) -> FleetArchiveWindow {
        var narrowed = self
        narrowed.bounds = DashboardWindow(window, newest: newestFile, oldest: oldestFile)
        if let bounds = narrowed.bounds {
            narrowed.nodes = nodes.map { node in
                Node(component: node.component, snapshots: node.snapshots.filter { bounds.contains($0.time.timeIntervalSince1970) })
            }
        }
        return narrowed
    }
}
