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

    /// The window `options.window` means for a store whose newest point is at `newest` (seconds).
    public func window(newest: Double?, now: Date) -> (from: Double, to: Double) {
        switch options.window {
        case .last(let seconds):
            let end = newest ?? now.timeIntervalSince1970
            return (end - seconds, end)
        case .between(let from, let to):
            return (from, to)
        }
    }

    /// Renders the site for the snapshots in the window (given in any order).
    public func render(snapshots: [Snapshot], skipped: [DashboardSkippedFile] = [], now: Date) throws -> RenderedSite {
        var timed = snapshots.compactMap { snapshot in
            SnapshotTime.parse(snapshot.time).map { ($0.timeIntervalSince1970, snapshot) }
        }
        timed.sort { $0.0 < $1.0 }
        let (from, to) = window(newest: timed.last?.0, now: now)
        var store = SeriesStore()
        for (time, snapshot) in timed where time >= from && time <= to {
            store.append(snapshot)
        }
        return try render(store: store, skipped: skipped, now: now)
    }

    /// Renders the site from `store`'s points inside the window.
    public func render(store: SeriesStore, skipped: [DashboardSkippedFile] = [], now: Date) throws -> RenderedSite {
        let (from, to) = window(newest: store.points.last?.time, now: now)
        guard to > from else { throw DashboardError.input("the window is empty: its end is not after its start") }
        let points = store.points(from: from, to: to)
        var newest = store.latest
        if let latest = newest, let time = SnapshotTime.parse(latest.time)?.timeIntervalSince1970,
           time < from || time > to {
            newest = nil
        }
        let localTime = LocalTime(timeZone: options.timeZone)
        let charts = try DashboardCharts(points: points, checkNames: store.checkNames, from: from, to: to,
                                         localTime: localTime, typicalInterval: store.typicalInterval).draw()
        let model = PageModelBuilder(options: options, localTime: localTime, css: templates.css)
            .build(points: points, newest: newest, typicalInterval: store.typicalInterval, from: from, to: to,
                   charts: charts, skipped: skipped, now: now)
        var files = [RenderedSite.pagePath: Data(try templates.renderPage(model).utf8)]
        for chart in charts {
            files["charts/\(chart.id).svg"] = Data(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + chart.svg).utf8)
        }
        return RenderedSite(files: files)
    }
}
