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
    /// Each page's last drawing of its window, by page path (see `render(now:)`).
    private var drawings: [String: WindowDrawing] = [:]

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
        drawings = [:]
    }

    /// Adds the next snapshot; false (nothing changed) when it is not newer than the newest point.
    @discardableResult
    public mutating func append(_ snapshot: Snapshot) -> Bool {
        store.append(snapshot)
    }

    /// Every range's page and charts, as of `now`. A page's texts and figures are always the newest;
    /// its charts, routes table and health over the window are drawn again only once the window has
    /// moved by a pixel column of its charts since they were last drawn (range ÷ plot width: 6.4 s for
    /// 1 h, 2.6 min for 24 h, 18 min for 7 d) or a check or route appeared, so that a long range costs
    /// a snapshot little more than its page's text. The first render of a site draws everything.
    public mutating func render(now: Date) throws -> RenderedSite {
        var drawings = self.drawings
        defer { self.drawings = drawings }
        return try ranges.render(base: generator.options) { options in
            let page = DashboardGenerator(templates: generator.templates, options: options)
            let drawing: WindowDrawing
            if let kept = drawings[options.pagePath], kept.stillShows(store, in: page.window(of: store, now: now)) {
                drawing = kept
            } else {
                drawing = try page.draw(store: store, now: now)
                drawings[options.pagePath] = drawing
            }
            return try page.render(store: store, drawing: drawing, skipped: skipped, now: now)
        }
    }
}
