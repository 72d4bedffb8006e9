import KVSnapshot

/// One node of a fleet page: its series over the fleet's window and what its row shows.
struct FleetNode {
    /// The node as in file names: the folder of its page.
    let component: String
    /// The id to show: the newest snapshot's node id (data, escaped on output), else the component.
    let name: String
    let store: SeriesStore
    /// The points inside the window, oldest first.
    let points: ArraySlice<SeriesPoint>
    /// The newest snapshot inside the window.
    let newest: Snapshot?

    /// The node's series from its snapshots inside `window`, as the node's own page builds them.
    init(_ node: FleetArchiveWindow.Node, window: DashboardWindow) {
        var store = SeriesStore()
        for snapshot in node.snapshots.sorted(by: { $0.time < $1.time })
        where window.contains(snapshot.time.timeIntervalSince1970) {
            store.append(snapshot)
        }
        component = node.component
        name = store.latest?.nodeID ?? node.component
        self.store = store
        points = store.points(from: window.from, to: window.to)
        newest = store.latest
    }

    /// How often the process restarted between the window's points (the uptime went backwards).
    var restarts: Int {
        zip(points, points.dropFirst()).filter {
            SeriesMath.isRestart(previousUptime: $0.0.uptimeSeconds, uptime: $0.1.uptimeSeconds)
        }.count
    }

    /// The page's folder relative to the fleet site's root: `nodes/<component>`.
    var folder: String { FleetGenerator.nodeFolder(component) }

    /// Whether `file` (a skipped file's name, possibly `DIR/name`) is one of this node's snapshot files.
    func owns(_ file: DashboardSkippedFile) -> Bool {
        let name = file.name.split(separator: "/").last.map(String.init) ?? file.name
        return SnapshotFileName(parsing: name)?.node == component
    }
}
