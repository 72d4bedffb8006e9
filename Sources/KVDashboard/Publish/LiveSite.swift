import Foundation
import KVSnapshot

/// The live dashboard's series and pages, without the concurrency: loads the window of the longest
/// range once, extends it one snapshot at a time, and renders every range's page from it.
///
/// The server's `LiveDashboard` actor owns one and publishes what it renders; `kvstore-dashboard
/// bench-live` measures one the same way, so the benchmark times the server's own path.
public struct LiveSite: Sendable {
    public let generator: DashboardGenerator
    public let ranges: RangePages
    /// The series: the window of the longest range, trimmed as snapshots arrive.
    public private(set) var store: SeriesStore
    /// The files the start-up load skipped, named on every page.
    public private(set) var skipped: [DashboardSkippedFile] = []

    public init(generator: DashboardGenerator, ranges: RangePages) {
        self.generator = generator
        self.ranges = ranges
        store = SeriesStore(retention: ranges.longestSeconds)
    }

    /// Reads `node`'s window of the longest range from `archive`, one batch of files at a time (a
    /// week's window is never held as decoded snapshots). Between files it asks `stop`, and throws
    /// `CancellationError` when that says true. Throws `SnapshotError` when the folder cannot be listed.
    public mutating func load(archive: SnapshotArchive, node: String, stop: () -> Bool = { false }) throws {
        var store = self.store
        let window = try ArchiveWindow.read(archives: ArchiveSet([archive]), window: ranges.longestWindow, node: node,
                                            into: &store, stop: stop)
        self.store = store
        skipped = window.skipped
    }

    /// Adds the next snapshot; false (nothing changed) when it is not newer than the newest point.
    @discardableResult
    public mutating func append(_ snapshot: Snapshot) -> Bool {
        store.append(snapshot)
    }

    /// Every range's page and charts, as of `now`.
    public func render(now: Date) throws -> RenderedSite {
        try ranges.render(base: generator.options) { options in
            try DashboardGenerator(templates: generator.templates, options: options).render(store: store, skipped: skipped, now: now)
        }
    }
}
