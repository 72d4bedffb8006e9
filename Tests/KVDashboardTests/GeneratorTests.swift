import Foundation
import KVTestSupport
import KVSnapshot
import Testing
@testable import KVDashboard

@Suite struct GeneratorTests {
    /// Three snapshots 15 s apart; the last interval has 180 requests (30 of them 5xx) and latency
    /// bucket increases 50/90/100/100 (p50 = 100 ms, p99 = 950 ms).
    func snapshots() -> [Snapshot] {
        let checks = [Fixture.check("storage", .healthy), Fixture.check("api", .degraded, message: "slow upstream", kind: "dependency")]
        let alert = AlertSnapshot(name: "HighErrorRate", severity: "critical", state: .firing, activeSince: Fixture.time(0),
                                  value: 0.1667, summary: "Too many 5xx", description: "5xx share above 5%", labels: ["route": "/x"])
        return [
            Fixture.snapshot(offset: 0, uptime: 3600, sequence: 1, requests: [("200", 10), ("500", 0)],
                             latency: [(0.1, 0), (0.5, 0), (1, 0), (.infinity, 0)], checks: checks),
            Fixture.snapshot(offset: 15, uptime: 3615, sequence: 2, requests: [("200", 100), ("500", 0)],
                             latency: [(0.1, 10), (0.5, 60), (1, 90), (.infinity, 100)], checks: checks),
            Fixture.snapshot(offset: 30, uptime: 3630, sequence: 3, requests: [("200", 250), ("500", 30)],
                             latency: [(0.1, 60), (0.5, 150), (1, 190), (.infinity, 200)], checks: checks, alerts: [alert]),
        ]
    }

    func generator(_ options: DashboardOptions) throws -> DashboardGenerator {
        DashboardGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder), options: options)
    }

    func value(_ id: String, in page: String) -> String? {
        guard let start = page.range(of: "id=\"\(id)\">") else { return nil }
        let rest = page[start.upperBound...]
        return rest.range(of: "<").map { String(rest[..<$0.lowerBound]) }
    }

    @Test func pageFromAnArchiveShowsTheExpectedNumbersAndEveryFileIsWellFormed() throws {
        let badName = SnapshotFileName(node: "node-1", sequence: 4, time: Date(timeIntervalSince1970: Fixture.start + 45)).description
        let archive = try Fixture.writeArchive(snapshots(), extraFiles: [badName: ""])
        let window = try ArchiveWindow(archive: SnapshotArchive(directory: archive.path), window: .last(3600))
        #expect(window.snapshots.count == 3)
        #expect(window.skipped.map(\.name) == [badName])
        let options = DashboardOptions(title: "Test dashboard", timeZone: TimeZone(identifier: "Europe/Berlin")!, refreshSeconds: 30)
        let now = Date(timeIntervalSince1970: Fixture.start + 40)
        let site = try generator(options).render(snapshots: window.snapshots, skipped: window.skipped, now: now)
        let siteFolder = TemporaryFolder("site")
        let out = siteFolder.url.appendingPathComponent("public")
        try SitePublisher().publish(site, to: out)

        let page = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(value("metric-request-rate", in: page) == "12.0 req/s")
        #expect(value("metric-error-ratio", in: page) == "16.7%")
        #expect(value("metric-latency-p99", in: page) == "950 ms")
        #expect(value("metric-storage-size", in: page) == "10.0 MiB")
        #expect(value("metric-keys", in: page) == "1,234")
        #expect(value("stat-memory", in: page) == "64.0 MiB")
        #expect(value("stat-threads", in: page) == "12")
        #expect(value("stat-uptime", in: page) == "1 h")
        #expect(value("skipped-count", in: page) == "1")
        #expect(page.contains("<meta http-equiv=\"refresh\" content=\"30\"/>"))
        #expect(page.contains("Europe/Berlin"))
        #expect(page.contains("+01:00"))
        #expect(page.contains("HighErrorRate"))
        #expect(page.contains("slow upstream"))
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<html xmlns=\"http://www.w3.org/1999/xhtml\""))
        #expect(!page.contains("id=\"stale-warning\""))
        #expect(!page.contains("<script"))

        let latency = try String(contentsOf: out.appendingPathComponent("charts/latency.svg"), encoding: .utf8)
        #expect(latency.contains("p99: latest 950 ms"))
        #expect(latency.contains("p50: latest 100 ms"))
        #expect(latency.contains("role=\"img\""))

        let files = try FileManager.default.subpathsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".html") || $0.hasSuffix(".svg") }
        #expect(files.count == 14, "the page, 12 charts and the firing alert's chart")
        #expect(files.contains("charts/alert-higherrorrate.svg"))
        for file in files {
            let result = try Fixture.xmllint(out.appendingPathComponent(file))
            #expect(result.status == 0, "\(file): \(result.errors)")
        }
    }

    @Test func aStaleNewestSnapshotShowsAWarningAndRefreshZeroHasNoMetaRefresh() throws {
        let now = Date(timeIntervalSince1970: Fixture.start + 30 + 3600)
        let site = try generator(DashboardOptions()).render(snapshots: snapshots(), now: now)
        #expect(site.page.contains("id=\"stale-warning\""))
        #expect(site.page.contains("1 h old"))
        #expect(!site.page.contains("http-equiv=\"refresh\""))
        let archived = try generator(DashboardOptions(warnWhenStale: false)).render(snapshots: snapshots(), now: now)
        #expect(!archived.page.contains("id=\"stale-warning\""))
    }

    @Test func anExactWindowShowsOnlyItsSnapshots() throws {
        let options = DashboardOptions(window: .between(from: Fixture.start + 10, to: Fixture.start + 20))
        let site = try generator(options).render(snapshots: snapshots(), now: Date(timeIntervalSince1970: Fixture.start + 30))
        #expect(site.page.contains("1 snapshots") || site.page.contains(" 1 snapshot"))
        #expect(!site.page.contains("HighErrorRate")) // the alert is in the third snapshot only
    }

    @Test func storeAndSnapshotRenderingAgree() throws {
        let generator = try generator(DashboardOptions())
        var store = SeriesStore(retention: 86_400)
        for snapshot in snapshots() { store.append(snapshot) }
        let now = Date(timeIntervalSince1970: Fixture.start + 31)
        #expect(try generator.render(store: store, now: now) == generator.render(snapshots: snapshots(), now: now))
    }
}
