import Foundation
import KVCompression
import KVDashboard
import KVSnapshot
import Logging

/// The live dashboard: keeps the series the page needs in memory, extends them with each new
/// snapshot, and regenerates and atomically republishes the site (one page per range of
/// `dashboard.ranges`) into `dashboard.dir`.
///
/// It never re-reads the archive after start-up, so a regeneration costs the same on day thirty
/// as in the first hour. An actor: one regeneration at a time, off the request path.
actor LiveDashboard {
    private let generator: DashboardGenerator
    private let ranges: RangePages
    private let directory: URL
    private let archive: SnapshotArchive
    private let nodeID: String
    private let logger: Logger
    private var store: SeriesStore
    private var skipped: [DashboardSkippedFile] = []
    private var loaded = false

    init(generator: DashboardGenerator, ranges: RangePages, directory: URL, archive: SnapshotArchive, nodeID: String, logger: Logger) {
        self.generator = generator
        self.ranges = ranges
        self.directory = directory
        self.archive = archive
        self.nodeID = nodeID
        self.logger = logger
        store = SeriesStore(retention: ranges.longestSeconds)
    }

    /// Loads the window the longest range shows from the archive (once, at start-up), then publishes.
    func loadArchive() {
        guard !loaded else { return }
        loaded = true
        SitePublisher().removeLeftovers(beside: directory)
        do {
            let window = try ArchiveWindow(archive: archive, window: ranges.longestWindow, node: nodeID)
            for snapshot in window.snapshots { _ = store.append(snapshot) }
            if let start = window.historyStart { store.noteHistory(since: start.timeIntervalSince1970) }
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
            let now = Date()
            let site = try ranges.render(base: generator.options) { options in
                try DashboardGenerator(templates: generator.templates, options: options).render(store: store, skipped: skipped, now: now)
            }
            try SitePublisher().publish(site, to: directory)
        } catch {
            logger.error("dashboard not published", metadata: ["error": "\(error)"])
        }
    }
}
