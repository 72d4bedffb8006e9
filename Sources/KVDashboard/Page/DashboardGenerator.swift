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
        try render(store: store, drawing: try draw(store: store, now: now), skipped: skipped, now: now)
    }

    /// The window `store`'s points span for this page as of `now`.
    func window(of store: SeriesStore, now: Date) -> DashboardWindow {
        window(newest: store.points.last?.time, oldest: store.historyStart, now: now)
    }

    /// Draws what the page shows of the points in its window: charts, routes table, health over the window.
    func draw(store: SeriesStore, now: Date) throws -> WindowDrawing {
        let window = window(of: store, now: now)
        let (from, to) = (window.from, window.to)
        guard to > from else { throw DashboardError.input("the window is empty: its end is not after its start") }
        let points = store.points(from: from, to: to)
        let series = DashboardCharts(points: points, checkNames: store.checkNames, from: from, to: to,
                                     localTime: LocalTime(timeZone: options.timeZone), typicalInterval: store.typicalInterval,
                                     marks: options.marks)
        let evidence = try AlertEvidence.charts(points: points, rules: (store.ruleNames, store.ruleThresholds), window: window,
                                                localTime: LocalTime(timeZone: options.timeZone),
                                                typicalInterval: store.typicalInterval, options: options)
        return WindowDrawing(window: window, charts: try series.draw(options: options), evidence: evidence,
                             health: HealthOverWindow(chart: series.healthChart, timeline: series.timeline),
                             routes: try RoutesTable(points: points, routeNames: store.routeNames, from: from, to: to),
                             checks: store.checkNames.count, routeCount: store.routeNames.count)
    }

    /// Renders the site: the page's figures and texts from `store` as of `now`, its charts, routes
    /// table and health over the window from `drawing` (drawn from `store` now or a little earlier).
    func render(store: SeriesStore, drawing: WindowDrawing, skipped: [DashboardSkippedFile], now: Date) throws -> RenderedSite {
        let window = window(of: store, now: now)
        let points = store.points(from: window.from, to: window.to)
        var newest = store.latest
        if let latest = newest, !window.contains(latest.time.timeIntervalSince1970) {
            newest = nil
        }
        let model = PageModelBuilder(options: options, localTime: LocalTime(timeZone: options.timeZone), css: templates.css)
            .build(points: points, newest: newest, typicalInterval: store.typicalInterval, window: window,
                   charts: drawing.charts, evidence: drawing.evidence, health: drawing.health, routes: drawing.routes,
                   skipped: skipped, now: now)
        var files = [options.pagePath: Data(try templates.renderPage(model).utf8)]
        for chart in drawing.charts + drawing.evidence.map(\.drawn) {
            files[chart.path] = chart.fileData
        }
        return RenderedSite(files: files)
    }
}

/// What a page draws from the points of its window, kept by the live site between snapshots.
struct WindowDrawing {
    var window: DashboardWindow
    var charts: [DashboardCharts.Drawn]
    /// The "why it fired" chart of each alert active in the window.
    var evidence: [AlertEvidence.Chart]
    var health: HealthOverWindow
    var routes: RoutesTable
    /// How many checks and routes the store knew when this was drawn.
    var checks: Int
    var routeCount: Int

    /// The seconds one pixel column of the plot spans.
    var columnSeconds: Double { (window.to - window.from) / ChartFrame().plotWidth }

    /// Whether this drawing still shows `store` in `window` to within one pixel column: the window
    /// moved (and changed length) by less than a column and no check or route appeared since.
    func stillShows(_ store: SeriesStore, in window: DashboardWindow) -> Bool {
        abs(window.to - self.window.to) < columnSeconds && abs(window.from - self.window.from) < columnSeconds
            && checks == store.checkNames.count && routeCount == store.routeNames.count
    }
}
