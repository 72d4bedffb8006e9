import Foundation
import KVSnapshot

/// Turns series (or snapshots) into the dashboard's files, without touching the disk.
///
/// The server keeps one `SeriesStore`, appends each new snapshot and calls `render(store:…)`;
/// the command-line tool builds a store from an archive's window. Publish the result with `SitePublisher`.
public struct DashboardGenerator: Sendable {
    public let templates: DashboardTemplates
    public var options: DashboardOptions

    public init(templates: DashboardTemplates, options: DashboardOptions) {
        self.templates = templates
        self.options = options
    }

    /// The window `options.window` means for snapshots whose newest is at `newest` and oldest at
    /// `oldest` (seconds since 1970); `.last` with no snapshot ends at `now`.
    public func window(newest: Double?, oldest: Double? = nil, now: Date) -> DashboardWindow {
        // Never nil: `.last` always has an end here.
        DashboardWindow(options.window, newest: newest ?? now.timeIntervalSince1970, oldest: oldest)!
    }

    /// Renders the site for the snapshots in the window (given in any order). `historyStart` is the
    /// time of the oldest snapshot there is, when it is older than every one given.
    public func render(snapshots: [Snapshot], historyStart: Date? = nil, skipped: [DashboardSkippedFile] = [],
                       now: Date) throws -> RenderedSite {
        let sorted = snapshots.sorted { $0.time < $1.time }
        let oldest = [historyStart, sorted.first?.time].compactMap { $0?.timeIntervalSince1970 }.min()
        let window = window(newest: sorted.last?.time.timeIntervalSince1970, oldest: oldest, now: now)
        var store = SeriesStore()
        for snapshot in sorted where window.contains(snapshot.time.timeIntervalSince1970) {
            store.append(snapshot)
        }
        if let oldest { store.noteHistory(since: oldest) }
        return try render(store: store, skipped: skipped, now: now)
    }

    /// Renders the site from `store`'s points inside the window.
    public func render(store: SeriesStore, skipped: [DashboardSkippedFile] = [], now: Date) throws -> RenderedSite {
        let window = window(newest: store.points.last?.time, oldest: store.historyStart, now: now)
        let (from, to) = (window.from, window.to)
        guard to > from else { throw DashboardError.input("the window is empty: its end is not after its start") }
        let points = store.points(from: from, to: to)
        var newest = store.latest
        if let latest = newest, !window.contains(latest.time.timeIntervalSince1970) {
            newest = nil
        }
        let localTime = LocalTime(timeZone: options.timeZone)
        let series = DashboardCharts(points: points, checkNames: store.checkNames, from: from, to: to,
                                     localTime: localTime, typicalInterval: store.typicalInterval, marks: options.marks)
        let charts = try series.draw(options: options)
        let model = PageModelBuilder(options: options, localTime: localTime, css: templates.css)
            .build(points: points, newest: newest, typicalInterval: store.typicalInterval, window: window,
                   charts: charts, health: HealthOverWindow(chart: series.healthChart, timeline: series.timeline), routes: try RoutesTable(points: points, routeNames: store.routeNames, from: from, to: to),
                   skipped: skipped, now: now)
        var files = [options.pagePath: Data(try templates.renderPage(model).utf8)]
        for chart in charts {
            files[chart.path] = chart.fileData
        }
        return RenderedSite(files: files)
    }
}
