import Foundation

/// What `kvstore-dashboard generate` publishes for an archive.
///
/// With a `node`, or when the archive holds files of at most one node: that node's page, exactly
/// as it always was (`ArchiveWindow` + `DashboardGenerator`). With files of several nodes: the fleet
/// overview (`FleetGenerator`) at the root and each node's page under `nodes/<node>/`.
public struct ArchiveSite: Sendable {
    /// The files to publish.
    public var site: RenderedSite
    /// How many nodes the site shows (1 for a node's page).
    public var nodes: Int
    /// Snapshots read, over every node shown.
    public var snapshots: Int
    /// Files skipped.
    public var skipped: Int

    /// Reads `archives` for `generator.options.window` and renders. Throws `SnapshotError` when a
    /// folder cannot be listed and `DashboardError` when rendering fails.
    public init(archives: ArchiveSet, generator: DashboardGenerator, node: String? = nil, now: Date) throws {
        if node == nil, try archives.nodes().count > 1 {
            let fleet = try FleetArchiveWindow(archives: archives, window: generator.options.window)
            site = try FleetGenerator(generator: generator).render(fleet: fleet, now: now)
            nodes = fleet.nodes.count
            snapshots = fleet.nodes.reduce(0) { $0 + $1.snapshots.count }
            skipped = fleet.skipped.count
        } else {
            let window = try ArchiveWindow(archives: archives, window: generator.options.window, node: node)
            site = try generator.render(snapshots: window.snapshots, skipped: window.skipped, now: now)
            nodes = 1
            snapshots = window.snapshots.count
            skipped = window.skipped.count
        }
    }
}
