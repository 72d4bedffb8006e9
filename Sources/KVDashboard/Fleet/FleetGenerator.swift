import Foundation

/// Turns a fleet's window into one site, without touching the disk: the overview page
/// (`index.html`, its charts under `charts/`) and, under `nodes/<node>/`, each node's own page
/// exactly as `DashboardGenerator` renders it for that node, plus a link back to the overview.
/// Every page covers the same window. Publish the result with `SitePublisher`.
public struct FleetGenerator: Sendable {
    /// Templates and options shared by every page of the site.
    public let generator: DashboardGenerator

    public init(generator: DashboardGenerator) {
        self.generator = generator
    }

    /// The folder of a node's page relative to the site's root, from the node's file-name component.
    public static func nodeFolder(_ component: String) -> String {
        "nodes/" + component
    }

    /// Renders the overview and every node's page.
    public func render(fleet: FleetArchiveWindow, now: Date) throws -> RenderedSite {
        let window = fleet.bounds ?? generator.window(newest: nil, now: now)
        guard window.to > window.from else { throw DashboardError.input("the window is empty: its end is not after its start") }
        var nodeOptions = generator.options
        nodeOptions.window = .between(from: window.from, to: window.to)
        nodeOptions.overviewLink = "../../" + generator.options.pagePath
        let nodePages = DashboardGenerator(templates: generator.templates, options: nodeOptions)

        var files: [String: Data] = [:]
        var nodes: [FleetNode] = []
        for archived in fleet.nodes {
            let node = FleetNode(archived, window: window)
            let site = try nodePages.render(snapshots: archived.snapshots, skipped: fleet.skipped.filter(node.owns), now: now)
            for (path, data) in site.files {
                files[node.folder + "/" + path] = data
            }
            nodes.append(node)
        }
        let localTime = LocalTime(timeZone: generator.options.timeZone)
        let charts = try FleetCharts(nodes: nodes, from: window.from, to: window.to, localTime: localTime,
                                     marks: generator.options.marks).draw(options: generator.options)
        let model = FleetPageModelBuilder(options: generator.options, localTime: localTime, css: try generator.templates.fleetCSS())
            .build(nodes: nodes, window: window, charts: charts, skipped: fleet.skipped, now: now)
        files[generator.options.pagePath] = Data(try generator.templates.renderFleetPage(model).utf8)
        for chart in charts {
            files[chart.path] = chart.fileData
        }
        return RenderedSite(files: files)
    }
}
