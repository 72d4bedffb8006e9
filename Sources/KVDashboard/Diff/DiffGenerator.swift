import Foundation
import KVSnapshot

/// Renders a `WindowComparison` as one self-contained page (`index.html`, its charts under
/// `charts/`), with the dashboard's templates (`diff.mustache`) and style. Publish it with `SitePublisher`.
public struct DiffGenerator: Sendable {
    public let templates: DashboardTemplates
    public let options: DashboardOptions

    public init(templates: DashboardTemplates, options: DashboardOptions) {
        self.templates = templates
        self.options = options
    }

    struct Model {
        struct Window {
            var from: String
            var to: String
            var length: String
            var snapshots: String
        }

        struct Route {
            var index: Int
            var method: String
            var route: String
            var rateBefore: String
            var rateAfter: String
            var rateChange: String
            var errorsBefore: String
            var errorsAfter: String
            var p99Before: String
            var p99After: String
            var p99Change: String
        }

        struct Check {
            var name: String
            var before: String
            var beforeClass: String
            var after: String
            var afterClass: String
        }

        var css: String
        var title: String
        var node: String
        var timeZone: String
        var generatedAt: String
        var before: Window
        var after: Window
        var routes: [Route]
        var hasRoutes: Bool
        var checks: [Check]
        var hasChecks: Bool
        var firedOnlyBefore: String
        var firedOnlyAfter: String
        var firedInBoth: String
        var charts: [PageModel.Chart]
    }

    /// The page comparing `comparison`'s windows of `node`, as of `now`.
    public func render(_ comparison: WindowComparison, node: String, now: Date) throws -> RenderedSite {
        let localTime = LocalTime(timeZone: options.timeZone)
        let (timeline, lineCharts) = comparison.charts(localTime: localTime)
        let charts = try lineCharts.map {
            DashboardCharts.Drawn(id: $0.id, title: $0.title, svg: try $0.render(timeline: timeline), summary: $0.description(for: timeline),
                                  options: options)
        }
        func window(_ side: WindowComparison.Side) -> Model.Window {
            Model.Window(from: localTime.full(side.window.from), to: localTime.full(side.window.to),
                         length: DurationText.format(side.window.to - side.window.from),
                         snapshots: NumberText.grouped(Double(side.points.count)))
        }
        let names = { (list: [String]) in list.isEmpty ? "none" : list.joined(separator: ", ") }
        let model = Model(
            css: templates.css, title: options.title, node: node, timeZone: localTime.timeZone.identifier,
            generatedAt: localTime.full(now.timeIntervalSince1970),
            before: window(comparison.before), after: window(comparison.after),
            routes: comparison.routes.enumerated().map { Self.row($1, index: $0 + 1) }, hasRoutes: !comparison.routes.isEmpty,
            checks: comparison.checks.map {
                Model.Check(name: $0.name, before: $0.before.name, beforeClass: Self.statusClass($0.before),
                            after: $0.after.name, afterClass: Self.statusClass($0.after))
            },
            hasChecks: !comparison.checks.isEmpty,
            firedOnlyBefore: names(comparison.firedOnlyBefore), firedOnlyAfter: names(comparison.firedOnlyAfter),
            firedInBoth: names(comparison.firedInBoth),
            charts: charts.map { PageModel.Chart(id: $0.id, title: $0.title, file: $0.path, svg: $0.svg, summary: $0.summary) })
        var files = [options.pagePath: Data(try templates.renderDiffPage(model).utf8)]
        for chart in charts { files[chart.path] = chart.fileData }
        let site = RenderedSite(files: files)
        try XMLWellFormedness.check(site)
        return site
    }

    private static func row(_ route: WindowComparison.Route, index: Int) -> Model.Route {
        let rate = { (value: Double?) in value.map(ValueUnit.requestsPerSecond.format) ?? "–" }
        let share = { (value: Double?) in value.map(ValueUnit.percent.format) ?? "–" }
        let p99 = { (value: Double?) in value.map(ValueUnit.milliseconds.format) ?? "–" }
        return Model.Route(
            index: index, method: route.method, route: route.route,
            rateBefore: rate(route.rate.before), rateAfter: rate(route.rate.after), rateChange: change(route.rate.before, route.rate.after),
            errorsBefore: share(route.errorRatio.before), errorsAfter: share(route.errorRatio.after),
            p99Before: p99(route.p99.before), p99After: p99(route.p99.after), p99Change: change(route.p99.before, route.p99.after))
    }

    /// `+12%`, `−5%`, `0%`; `new` or `gone` when one side has none.
    static func change(_ before: Double?, _ after: Double?) -> String {
        switch (before, after) {
        case (nil, nil): return "–"
        case (nil, _): return "new"
        case (_, nil): return "gone"
        case (let before?, let after?):
            guard before != 0 else { return after == 0 ? "0%" : "new" }
            let percent = (after - before) / before * 100
            let text = NumberText.significant(abs(percent))
            return text == "0" ? "0%" : (percent > 0 ? "+" : "−") + text + "%"
        }
    }

    private static func statusClass(_ code: HealthStatusCode) -> String {
        code == .absent ? "unknown" : code.name
    }
}
