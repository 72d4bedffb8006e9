import Foundation
import KVCompression
import KVDashboard
import KVSnapshot
import Logging

/// The live dashboard: keeps the series the page needs in memory, extends them with each new
/// snapshot, and regenerates and atomically republishes the site into `dashboard.dir`.
///
/// It never re-reads the archive after start-up, so a regeneration costs the same on day thirty
/// as in the first hour. An actor: one regeneration at a time, off the request path.
actor LiveDashboard {
    private let generator: DashboardGenerator
    private let directory: URL
    private let archive: SnapshotArchive
    private let nodeID: String
    private let logger: Logger
    private var store: SeriesStore
    private var skipped: [DashboardSkippedFile] = []
    private var loaded = false

    init(generator: DashboardGenerator, directory: URL, archive: SnapshotArchive, nodeID: String, windowSeconds: Double, logger: Logger) {
        self.generator = generator
        self.directory = directory
        self.archive = archive
        self.nodeID = nodeID
        self.logger = logger
        store = SeriesStore(retention: windowSeconds)
    }

    /// Loads the window the page shows from the archive (once, at start-up), then publishes.
    func loadArchive() {
        guard !loaded else { return }
        loaded = true
        SitePublisher().removeLeftovers(beside: directory)
        do {
            let window = try ArchiveWindow(archive: archive, window: generator.options.window, node: nodeID)
            for snapshot in window.snapshots { _ = store.append(snapshot) }
            skipped = window.skipped
            if !window.skipped.isEmpty {
                logger.warning("dashboard skipped bad snapshot files", metadata: ["count": "\(window.skipped.count)"])
            }
        } catch {
            logger.warning("dashboard could not read the snapshot archive", metadata: ["error": "\(error)"])
        }
        publish()
    }

    /// Adds one snapshot and republishes.
    func append(_ snapshot: Snapshot) {
        if !loaded { loadArchive() }
        _ = store.append(snapshot)
        publish()
    }

    private func publish() {
        do {
            let site = try generator.render(store: store, skipped: skipped, now: Date())
            try SitePublisher().publish(site, to: directory)
        } catch {
            logger.error("dashboard not published", metadata: ["error": "\(error)"])
        }
    }
}
