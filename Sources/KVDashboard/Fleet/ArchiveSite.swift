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

    /// Reads `archives` for `generator.options.window` and renders; with `ranges`, reads the longest range
    /// once and renders one page per range (see `RangePages`). Throws `SnapshotError` when a folder cannot
    /// be listed and `DashboardError` when rendering fails. With `index`, a node's page reads each
    /// folder's readings index and brings it up to date (`ArchiveWindow.read`).
    public init(archives: ArchiveSet, generator: DashboardGenerator, ranges: RangePages? = nil, node: String? = nil,
                index: Bool = true, now: Date) throws {
        let read = ranges?.longestWindow ?? generator.options.window
        /// `render` once per page: with the options of each range's page, or `generator` alone.
        func pages(_ render: (DashboardGenerator) throws -> RenderedSite) throws -> RenderedSite {
            guard let ranges else { return try render(generator) }
            return try ranges.render(base: generator.options) { options in
                try render(DashboardGenerator(templates: generator.templates, options: options))
            }
        }
        if node == nil, try archives.nodes().count > 1 {
            let fleet = try FleetArchiveWindow(archives: archives, window: read)
            site = try pages { page in
                try FleetGenerator(generator: page).render(fleet: fleet.narrowed(to: page.options.window), now: now)
            }
            nodes = fleet.nodes.count
            snapshots = fleet.nodes.reduce(0) { $0 + $1.snapshots.count }
            skipped = fleet.skipped.count
        } else {
            // One series for every page, as the live server keeps: each range is a stretch of it.
            var store = SeriesStore()
            let window = try ArchiveWindow.read(archives: archives, window: read, node: node, index: index, into: &store)
            site = try pages { page in try page.render(store: store, skipped: window.skipped, now: now) }
            nodes = 1
            snapshots = store.points.count
            skipped = window.skipped.count
        }
    }
}
