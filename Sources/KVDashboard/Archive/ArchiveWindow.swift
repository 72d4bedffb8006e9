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
        var snapshots: [Snapshot] = []
        try self.init(archives: archives, window: window, node: node) { snapshots.append($0) }
        self.snapshots = snapshots
    }

    /// Reads as `init(archives:window:node:)` does but hands each snapshot to `each`, in sequence
    /// order, instead of keeping it: `snapshots` stays empty, and memory holds one batch of decoded
    /// files at a time however long the window.
    public init(archives: ArchiveSet, window: DashboardOptions.Window, node: String? = nil,
                each: (Snapshot) throws -> Void) throws {
        try self.init(archives: archives, window: window, node: node, transform: { $0.snapshot }, each: each)
    }

    /// As `init(archives:window:node:each:)`, with `transform` applied to each file's snapshot in
    /// parallel, on the thread that decoded it, and its result handed to `each` in order (the live
    /// server's start-up load takes each snapshot's `SnapshotReadings` there).
    public init<Value: Sendable>(archives: ArchiveSet, window: DashboardOptions.Window, node: String? = nil,
                                 transform: @Sendable (ArchivedSnapshot) -> Value, each: (Value) throws -> Void) throws {
        self = try Self.resolving(archives: archives, window: window, node: node)
        skipped = try archives.forEach(from: bounds?.fromDate, to: bounds?.toDate, component: self.node,
                                       transform: transform, each).map(DashboardSkippedFile.init)
    }

    /// The window of `node` (nil: the node of the newest file) resolved against its files' names,
    /// nothing read yet: `node` is the component read, and `snapshots` and `skipped` are empty.
    private static func resolving(archives: ArchiveSet, window: DashboardOptions.Window, node: String?) throws -> ArchiveWindow {
        let files = try archives.list()
        let newest = files.max { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
        let component = node.map(SnapshotFileName.nameComponent(forNode:)) ?? newest?.node
        let nodeFiles = files.filter { component == nil || $0.node == component }
        let oldest = nodeFiles.map(\.time).min()
        let bounds = DashboardWindow(window, newest: nodeFiles.map(\.time).max()?.timeIntervalSince1970,
                                     oldest: oldest?.timeIntervalSince1970)
        return ArchiveWindow(snapshots: [], skipped: [], node: component, bounds: bounds, historyStart: oldest)
    }

    private init(snapshots: [Snapshot], skipped: [DashboardSkippedFile], node: String?, bounds: DashboardWindow?,
                 historyStart: Date?) {
        self.snapshots = snapshots
        self.skipped = skipped
        self.node = node
        self.bounds = bounds
        self.historyStart = historyStart
    }
}

extension ArchiveWindow {
    /// Reads the window into `store`: each file's `SnapshotReadings` (of only the families the series
    /// use, `SnapshotReadings.families`), appended in sequence order, the store noting how far back
    /// the node's history goes. With `index`, readings come from each folder's `ReadingsIndex` where
    /// it still describes the files, and the rest are read from their JSON and indexed; without, every
    /// file is decoded (in parallel, a batch at a time, as `init(archives:window:node:transform:each:)`).
    /// Either way the store ends the same, its newest snapshot read from its file. Between files it
    /// asks `stop`, and throws `CancellationError` when that says true. Returns the window read
    /// (`snapshots` empty).
    public static func read(archives: ArchiveSet, window: DashboardOptions.Window, node: String? = nil, index: Bool = true,
                            into store: inout SeriesStore, stop: () -> Bool = { false }) throws -> ArchiveWindow {
        let needed = ArchiveSet(archives.archives.map { $0.keeping(families: SnapshotReadings.families) })
        var read: ArchiveWindow
        if index {
            read = try resolving(archives: needed, window: window, node: node)
            let (files, skipped) = try needed.selection(from: read.bounds?.fromDate, to: read.bounds?.toDate, component: read.node)
            var newest: (archive: SnapshotArchive, file: SnapshotFileInfo)?
            let unread = try IndexedArchiveRead(files: files).forEach(stop: stop) { readings, archive, file in
                if store.append(readings, of: nil) { newest = (archive, file) }
            }
            // The page's "now" sections come from the newest snapshot itself, read from its file.
            if let newest, let snapshot = try? newest.archive.snapshot(named: newest.file.name) {
                store.noteLatest(snapshot)
            }
            read.skipped = (skipped + unread.map { needed.named($0.file, in: $0.archive) })
                .sorted { $0.name < $1.name }.map(DashboardSkippedFile.init)
        } else {
            read = try ArchiveWindow(archives: needed, window: window, node: node,
                                     transform: { ($0.snapshot, SnapshotReadings($0.snapshot)) }) { snapshot, readings in
                if stop() { throw CancellationError() }
                store.append(readings, of: snapshot)
            }
        }
        if let start = read.historyStart { store.noteHistory(since: start.timeIntervalSince1970) }
        return read
    }
}
