import Foundation
import Testing
import KVTestSupport
@testable import KVDashboard
import KVSnapshot

/// `diff`: two windows of a hand-made archive compared. Before (the first 30 minutes): 60 GET
/// requests a minute, all 200, every check healthy. After (the next 30): 120 a minute of which 12
/// are 503s, the storage check degraded, `HighErrorRate` firing.
@Suite struct WindowComparisonTests {
    static let start = Fixture.start - 3_600

    static func history() -> [Snapshot] {
        var ok = 0.0, failed = 0.0
        return (0...60).map { minute in
            let after = minute > 30
            if minute > 0 {
                ok += after ? 108 : 60
                failed += after ? 12 : 0
            }
            let alerts = after ? [AlertSnapshot(name: "HighErrorRate", severity: "critical", state: .firing, activeSince: Fixture.time(-1_700),
                                                value: 0.1, threshold: 0.05, summary: "s", description: "d")] : []
            return Fixture.snapshot(offset: Double((minute - 60) * 60), uptime: Double(5_000 + minute * 60), sequence: UInt64(minute + 1),
                                    requests: [("200", ok), ("503", failed)],
                                    checks: [Fixture.check("storage", after ? .degraded : .healthy), Fixture.check("disk", .healthy)],
                                    alerts: alerts)
        }
    }

    func comparison() throws -> WindowComparison {
        let archive = try Fixture.writeArchive(Self.history())
        func side(_ from: Double, _ to: Double) throws -> WindowComparison.Side {
            var store = SeriesStore()
            _ = try ArchiveWindow.read(archives: ArchiveSet([SnapshotArchive(directory: archive.path)]), window: .between(from: from, to: to),
                                       into: &store)
            return WindowComparison.Side(store: store, window: DashboardWindow(from: from, to: to))
        }
        return WindowComparison(before: try side(Self.start, Self.start + 1_800), after: try side(Self.start + 1_800, Self.start + 3_600))
    }

    @Test func routesHealthAndAlertsOfBothWindows() throws {
        let comparison = try comparison()
        let route = try #require(comparison.routes.first)
        #expect(comparison.routes.count == 1 && route.method == "GET" && route.route == "/api/v1/kv/{key}")
        #expect(route.rate.before == 1 && route.rate.after == 2, "60 and 120 requests a minute")
        #expect(route.errorRatio.before == 0 && route.errorRatio.after == 0.1)
        #expect(comparison.checks == [WindowComparison.Check(name: "storage", before: .healthy, after: .degraded)])
        #expect(comparison.firedOnlyBefore.isEmpty && comparison.firedOnlyAfter == ["HighErrorRate"] && comparison.firedInBoth.isEmpty)
    }

    @Test func thePageSaysWhichWindowIsWhichAndOverlaysBoth() throws {
        let site = try DiffGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder), options: DashboardOptions())
            .render(try comparison(), node: "node-1", now: Date(timeIntervalSince1970: Fixture.start))
        let page = site.page
        #expect(page.contains("<strong>Before</strong>: <time>2026-11-18 10:06:40 +00:00</time> to <time>2026-11-18 10:36:40 +00:00</time> (30 min, 31 snapshots)"))
        #expect(page.contains("<strong>After</strong>: <time>2026-11-18 10:36:40 +00:00</time> to <time>2026-11-18 11:06:40 +00:00</time>"))
        #expect(page.contains("id=\"route-1-rate-before\">1.00 req/s<") && page.contains("id=\"route-1-rate-after\">2.00 req/s<"))
        #expect(page.contains("id=\"route-1-rate-change\">+100%<") && page.contains("id=\"route-1-errors-after\">10.0%<"))
        #expect(page.contains("<strong>Only after</strong>: HighErrorRate"))
        let rate = String(decoding: try #require(site.files["charts/diff-request-rate.svg"]), as: UTF8.self)
        #expect(rate.contains(">before<") && rate.contains(">after<") && rate.contains(">+10 min<") && rate.contains(">+0<"))
        #expect(site.files.keys.filter { $0.hasPrefix("charts/") }.count == 4)
    }

    @Test(arguments: [(1.0, 2.0, "+100%"), (2.0, 1.0, "−50.0%"), (1.0, 1.0, "0%"), (0.0, 1.0, "new")])
    func changesAreSignedPercentages(before: Double, after: Double, text: String) {
        #expect(DiffGenerator.change(before, after) == text)
    }

    @Test func aRouteInOneWindowOnlyIsNewOrGone() {
        #expect(DiffGenerator.change(nil, 3) == "new" && DiffGenerator.change(3, nil) == "gone" && DiffGenerator.change(nil, nil) == "–")
    }
}
