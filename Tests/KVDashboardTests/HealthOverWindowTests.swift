import Foundation
import KVTestSupport
import KVSnapshot
import Testing
@testable import KVDashboard

/// The health table's window columns: each check's worst state in the window and the time it
/// spent unhealthy and degraded, beside its newest state.
@Suite struct HealthOverWindowTests {
    /// Snapshots at 0, 15, 30, 45 s: `api` healthy, degraded, unhealthy, healthy; `storage` healthy
    /// throughout. A status lasts until the next snapshot, so in the window 0–45 s `api` was
    /// degraded 15 s (15–30) and unhealthy 15 s (30–45); the newest (at 45 s, the window's end) is
    /// healthy.
    static func snapshots() -> [Snapshot] {
        let api: [HealthStatus] = [.healthy, .degraded, .unhealthy, .healthy]
        return api.indices.map { step in
            Fixture.snapshot(offset: 15 * Double(step), uptime: 600 + 15 * Double(step), sequence: UInt64(step + 1),
                             checks: [Fixture.check("api", api[step]), Fixture.check("storage", .healthy)])
        }
    }

    func page() throws -> String {
        let folder = try Fixture.writeArchive(Self.snapshots())
        let window = DashboardOptions.Window.between(from: Fixture.start, to: Fixture.start + 45)
        let archive = try ArchiveWindow(archive: SnapshotArchive(directory: folder.path), window: window)
        let generator = DashboardGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder),
                                           options: DashboardOptions(window: window))
        return try generator.render(snapshots: archive.snapshots, now: Date(timeIntervalSince1970: Fixture.start + 46)).page
    }

    func row(_ check: String, in page: String) -> String? {
        guard let start = page.range(of: "<tr><th scope=\"row\">\(check)"),
              let end = page.range(of: "</tr>", range: start.upperBound..<page.endIndex) else { return nil }
        return String(page[start.lowerBound..<end.upperBound])
    }

    @Test func eachCheckShowsItsWorstStateAndTimeUnhealthyAndDegradedInTheWindow() throws {
        let page = try page()
        let api = try #require(row("api", in: page))
        #expect(api.contains("<td><span class=\"status status-healthy\"><span class=\"dot\" aria-hidden=\"true\">✓</span> healthy</span></td>"))
        #expect(api.contains("<td class=\"worst\" data-label=\"worst in window\"><span class=\"status status-unhealthy\">"
            + "<span class=\"dot\" aria-hidden=\"true\">✗</span> unhealthy</span></td>"))
        #expect(api.contains("<td class=\"in-window\" data-label=\"in window\">unhealthy 15 s, degraded 15 s</td>"))
        let storage = try #require(row("storage", in: page))
        #expect(storage.contains("<span class=\"status status-healthy\"><span class=\"dot\" aria-hidden=\"true\">✓</span> healthy</span></td><td class=\"in-window\" data-label=\"in window\">"))
        #expect(storage.contains("<td class=\"in-window\" data-label=\"in window\">unhealthy 0 s, degraded 0 s</td>"))
    }

    @Test func theSecondsComeFromTheTimelinesRuns() {
        let store = SeriesStore(snapshots: Self.snapshots())
        let charts = DashboardCharts(points: store.points, checkNames: store.checkNames, from: Fixture.start, to: Fixture.start + 45,
                                     localTime: LocalTime(timeZone: TimeZone(identifier: "UTC")!), typicalInterval: store.typicalInterval)
        let health = HealthOverWindow(chart: charts.healthChart, timeline: charts.timeline)
        #expect(health.checks["api"] == HealthOverWindow.Check(worst: .unhealthy, unhealthySeconds: 15, degradedSeconds: 15))
        #expect(health.checks["storage"] == HealthOverWindow.Check(worst: .healthy, unhealthySeconds: 0, degradedSeconds: 0))
    }
}
