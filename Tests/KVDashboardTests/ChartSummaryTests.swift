import Foundation
import KVTestSupport
import KVSnapshot
import Testing
@testable import KVDashboard

/// Every chart's `<desc>` (and the page's text beside it) names, per series, the latest, lowest
/// and highest value with the unit, computed by hand from a three-snapshot archive.
@Suite struct ChartSummaryTests {
    /// 15 s apart; intervals: 90 then 180 requests (0 then 30 of them 5xx); latency bucket
    /// increases 10/60/90/100 then 50/90/100/100 (le 0.1/0.5/1/+Inf).
    static let archive: [Snapshot] = [
        Fixture.snapshot(offset: 0, uptime: 3600, sequence: 1, requests: [("200", 10), ("500", 0)],
                         latency: [(0.1, 0), (0.5, 0), (1, 0), (.infinity, 0)],
                         checks: [Fixture.check("storage", .healthy), Fixture.check("api", .degraded)]),
        Fixture.snapshot(offset: 15, uptime: 3615, sequence: 2, requests: [("200", 100), ("500", 0)],
                         latency: [(0.1, 10), (0.5, 60), (1, 90), (.infinity, 100)], memory: 80 * 1_048_576,
                         checks: [Fixture.check("storage", .healthy), Fixture.check("api", .healthy)]),
        Fixture.snapshot(offset: 30, uptime: 3630, sequence: 3, requests: [("200", 250), ("500", 30)],
                         latency: [(0.1, 60), (0.5, 150), (1, 190), (.infinity, 200)], keys: 1300,
                         checks: [Fixture.check("storage", .healthy), Fixture.check("api", .healthy)]),
    ]

    static let window = "from 2026-11-18 11:06:40 +00:00 to 2026-11-18 11:07:10 +00:00 (GMT)."

    /// Hand-computed: rates 6 and 12 req/s; 5xx 0% and 16.7%; p50 420 then 100 ms (rank 50 in
    /// (0.1, 0.5] of 50 → 0.1 + 40/50 × 0.4; then all 50 in (0, 0.1]); p95 1 s (the +Inf bucket
    /// reports its lower bound) then 750 ms; p99 1 s then 950 ms; memory 64, 80, 64 MiB; keys
    /// 1234, 1234, 1300; health: api degraded for the first of its two 15 s intervals.
    static let expected: [String: String] = [
        "request-rate": "Request rate, \(window) requests: latest 12.0 req/s, lowest 6.00 req/s, highest 12.0 req/s.",
        "error-ratio": "Error ratio (5xx share of requests), \(window) 5xx: latest 16.7%, lowest 0%, highest 16.7%.",
        "latency": "Request latency, \(window) p50: latest 100 ms, lowest 100 ms, highest 420 ms."
            + " p95: latest 750 ms, lowest 750 ms, highest 1000 ms. p99: latest 950 ms, lowest 950 ms, highest 1000 ms.",
        "memory": "Resident memory, \(window) resident: latest 64.0 MiB, lowest 64.0 MiB, highest 80.0 MiB.",
        "threads": "Threads, \(window) threads: latest 12.0 threads, lowest 12.0 threads, highest 12.0 threads.",
        "storage-size": "Storage size, \(window) in use: latest 10.0 MiB, lowest 10.0 MiB, highest 10.0 MiB.",
        "storage-keys": "Keys stored, \(window) keys: latest 1300 keys, lowest 1234 keys, highest 1300 keys.",
        "health-timeline": "Health checks over time, \(window) api: healthy 50.0%, degraded 50.0%. storage: healthy 100%.",
    ]

    func site() throws -> RenderedSite {
        let folder = try Fixture.writeArchive(Self.archive)
        let window = try ArchiveWindow(archive: SnapshotArchive(directory: folder.path),
                                       window: .between(from: Fixture.start, to: Fixture.start + 30))
        let options = DashboardOptions(window: .between(from: Fixture.start, to: Fixture.start + 30))
        let generator = DashboardGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder), options: options)
        return try generator.render(snapshots: window.snapshots, now: Date(timeIntervalSince1970: Fixture.start + 31))
    }

    func desc(_ id: String, in svg: String) -> String? {
        guard let start = svg.range(of: "<desc id=\"\(id)-desc\">"), let end = svg.range(of: "</desc>", range: start.upperBound..<svg.endIndex)
        else { return nil }
        return String(svg[start.upperBound..<end.lowerBound])
    }

    @Test func everyChartDescribesEachSeriesWithLatestLowestHighestAndUnit() throws {
        let site = try site()
        for (id, text) in Self.expected {
            let file = String(decoding: site.files["charts/\(id).svg"] ?? Data(), as: UTF8.self)
            #expect(desc(id, in: file) == text, "\(id)")
            #expect(file.contains("<title id=\"\(id)-title\">"), "\(id)")
            #expect(desc(id, in: site.page) == text, "\(id) inline")
        }
    }

    @Test func thePageShowsEachSummaryAsTextForTextModeBrowsers() throws {
        let page = try site().page
        for (id, text) in Self.expected {
            #expect(page.contains("<p id=\"summary-\(id)\">\(text)</p>"), "\(id)")
        }
    }
}
