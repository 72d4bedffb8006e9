import Dispatch
import Foundation
import KVDashboard
import KVSnapshot
import Logging
import Synchronization

/// The live dashboard: keeps the series the page needs in memory (`LiveSite`), extends them with
/// each new snapshot, and regenerates and atomically republishes the site (one page per range of
/// `dashboard.ranges`) into `dashboard.dir`.
///
/// It never re-reads the archive after start-up, so a regeneration costs the same on day thirty
/// as in the first hour. The start-up load runs on a Dispatch thread, not on the cooperative pool
/// (which answers requests meanwhile), and stops early at shutdown; snapshots that arrive while it
/// runs wait and are added after it. An actor: one regeneration at a time, off the request path.
actor LiveDashboard {
    private enum Phase { case idle, loading, ready }

    private let directory: URL
    private let archive: SnapshotArchive
    private let nodeID: String
    private let logger: Logger
    private var site: LiveSite
    private var phase = Phase.idle
    private var waiting: [Snapshot] = []
    private let stopLoading = StopFlag()

    init(site: LiveSite, directory: URL, archive: SnapshotArchive, nodeID: String, logger: Logger) {
        self.site = site
        self.directory = directory
        self.archive = archive
        self.nodeID = nodeID
        self.logger = logger
    }

    /// Loads the window the longest range shows from the archive (once, at start-up), then publishes.
    func loadArchive() async {
        guard phase == .idle else { return }
        phase = .loading
        SitePublisher().removeLeftovers(beside: directory)
        let (empty, archive, nodeID, logger, stop) = (site, archive, nodeID, logger, stopLoading)
        var loaded = await Self.onDispatchThread {
            var site = empty
            do {
                try site.load(archive: archive, node: nodeID, stop: stop.isSet)
                if !site.skipped.isEmpty {
                    logger.warning("dashboard skipped bad snapshot files", metadata: ["count": "\(site.skipped.count)"])
                }
            } catch is CancellationError {
                logger.info("dashboard start-up load stopped: shutting down")
            } catch {
                logger.warning("dashboard could not read the snapshot archive", metadata: ["error": "\(error)"])
            }
            return site
        }
        for snapshot in waiting { loaded.append(snapshot) }
        waiting = []
        site = loaded
        phase = .ready
        publish()
    }

    /// Makes a start-up load still running stop at its next file (shutdown).
    nonisolated func stopLoadingArchive() {
        stopLoading.set()
    }

    /// Adds one snapshot and republishes (after the start-up load, which this starts if it has not).
    func append(_ snapshot: Snapshot) async {
        switch phase {
        case .ready:
            site.append(snapshot)
            publish()
        case .loading:
            waiting.append(snapshot)
        case .idle:
            waiting.append(snapshot)
            await loadArchive()
        }
    }

    private func publish() {
        do {
            try SitePublisher().publish(try site.render(now: Date()), to: directory)
        } catch {
            logger.error("dashboard not published", metadata: ["error": "\(error)"])
        }
    }

    private static func onDispatchThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async { continuation.resume(returning: work()) }
        }
    }
}

/// A flag set once, read from any thread.
private final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() { value.store(true, ordering: .relaxed) }

    func isSet() -> Bool { value.load(ordering: .relaxed) }
}
