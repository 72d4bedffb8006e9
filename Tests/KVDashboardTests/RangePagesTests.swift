import Foundation
import KVTestSupport
import KVSnapshot
import Testing
@testable import KVDashboard

@Suite struct RangePagesTests {
    /// One snapshot a minute for `minutes` minutes up to `Fixture.start`.
    static func history(minutes: Int, node: String = "node-1") -> [Snapshot] {
        (0...minutes).map { minute in
            Fixture.snapshot(offset: Double((minute - minutes) * 60), uptime: Double(10_000 + minute * 60), sequence: UInt64(minute + 1),
                             node: node, requests: [("200", Double(minute * 600))])
        }
    }

    static let now = Date(timeIntervalSince1970: Fixture.start + 5)

    func site(_ snapshots: [Snapshot], ranges: String, options: DashboardOptions = DashboardOptions()) throws -> (TemporaryFolder, URL) {
        let archive = try Fixture.writeArchive(snapshots)
        let generator = DashboardGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder), options: options)
        let built = try ArchiveSite(archives: ArchiveSet([SnapshotArchive(directory: archive.path)]), generator: generator,
                                    ranges: try RangePages.parse(ranges).get(), now: Self.now)
        let folder = TemporaryFolder("range-site")
        let out = folder.url.appendingPathComponent("public")
        try SitePublisher().publish(built.site, to: out) // checks every file with libxml2
        return (folder, out)
    }

    func read(_ out: URL, _ path: String) throws -> String {
        try String(contentsOf: out.appendingPathComponent(path), encoding: .utf8)
    }

    func files(_ out: URL) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: out.path).filter { !$0.hasPrefix(".") && $0 != "charts" }.sorted()
    }

    /// The navigation of a page: each link's text, target and whether it is marked current.
    func links(_ page: String) -> [String] {
        page.matches(of: /<a href="([^"]+)" id="range-([^"]+)"( class="current" aria-current="page")?>([^<]+)<\/a>/).map {
            "\($0.output.4)=\($0.output.1)" + ($0.output.3 == nil ? "" : " (current)")
        }
    }

    func text(_ id: String, in page: String) -> String? {
        guard let start = page.range(of: "id=\"\(id)\">") else { return nil }
        let rest = page[start.upperBound...]
        return rest.range(of: "<").map { String(rest[..<$0.lowerBound]) }
    }

    /// The smallest x at which a line of the chart file starts.
    func firstX(_ svg: String) -> Double? {
        svg.matches(of: /d="M([0-9.]+),/).compactMap { Double($0.output.1) }.min()
    }

    @Test func everyRangeGetsAPageLinkedToTheOthers() throws {
        let (folder, out) = try site(Self.history(minutes: 180), ranges: "1h,2h,1d", options: DashboardOptions(refreshLink: "./"))
        defer { folder.remove() }
        let charts = ["commit-batch", "error-ratio", "health-timeline", "latency", "memory", "request-rate", "status-classes", "storage-keys",
                      "storage-latency", "storage-operations", "storage-size", "threads"]
        let listed = try files(out)
        #expect(listed == (["index.html", "range-1d.html", "range-2h.html"]
            + charts.map { "charts/\($0).svg" } + charts.map { "charts/range-1d-\($0).svg" } + charts.map { "charts/range-2h-\($0).svg" }).sorted(), "\(listed)")
        let pages = [("index.html", 0), ("range-2h.html", 1), ("range-1d.html", 2)]
        for (file, current) in pages {
            let page = try read(out, file)
            var expected = ["1h=index.html", "2h=range-2h.html", "1d=range-1d.html"]
            expected[current] += " (current)"
            #expect(links(page) == expected, "\(file)")
            #expect(page.contains("<a href=\"\(file)\">refresh now</a>"), "\(file)")
            let prefix = file == "index.html" ? "charts/" : "charts/" + file.dropLast(".html".count) + "-"
            #expect(page.contains("<a class=\"svg-link\" href=\"\(prefix)latency.svg\">SVG</a>"), "\(file)")
        }
        // The 1h and 2h pages cover exactly their range; the history (3 h) is shorter than 1d.
        #expect(text("window-from", in: try read(out, "index.html")) == "2026-11-18 10:06:40 +00:00")
        #expect(text("window-from", in: try read(out, "range-2h.html")) == "2026-11-18 09:06:40 +00:00")
        #expect(text("window-from", in: try read(out, "range-1d.html")) == "2026-11-18 08:06:40 +00:00")
        #expect(text("window-to", in: try read(out, "range-1d.html")) == "2026-11-18 11:06:40 +00:00")
        #expect(!(try read(out, "index.html")).contains("id=\"range-note\""))
        #expect(!(try read(out, "range-2h.html")).contains("id=\"range-note\""))
        #expect(text("range-note", in: try read(out, "range-1d.html"))
            == "The history is shorter than this range (1 d): the page starts at the oldest snapshot, 2026-11-18 08:06:40 +00:00, 3 h before the newest.")
    }

    @Test func aYoungArchiveFillsTheChartWidth() throws {
        let (folder, out) = try site(Self.history(minutes: 30), ranges: "1d", options: DashboardOptions())
        defer { folder.remove() }
        #expect(try files(out).filter { $0.hasSuffix(".html") } == ["index.html"])
        let page = try read(out, "index.html")
        #expect(links(page).isEmpty, "one range: no links")
        #expect(text("window-from", in: page) == "2026-11-18 10:36:40 +00:00")
        #expect(page.contains("id=\"range-note\""))
        // The memory line starts at the plot's left edge (x = 62), not 97.9% of the way right.
        #expect(firstX(try read(out, "charts/memory.svg")) == ChartFrame().plotLeft)
    }

    @Test func anExactWindowIsNeverShortened() throws {
        let archive = try Fixture.writeArchive(Self.history(minutes: 30))
        let options = DashboardOptions(window: .between(from: Fixture.start - 86_400, to: Fixture.start))
        let generator = DashboardGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder), options: options)
        let built = try ArchiveSite(archives: ArchiveSet([SnapshotArchive(directory: archive.path)]), generator: generator, now: Self.now)
        #expect(built.site.files.keys.filter { $0.hasSuffix(".html") } == ["index.html"])
        #expect(text("window-from", in: built.site.page) == "2026-11-17 11:06:40 +00:00")
        #expect(!built.site.page.contains("id=\"range-note\""))
    }

    @Test func theWindowStartsAtTheOldestSnapshotOnlyWhenTheHistoryIsShorter() {
        #expect(DashboardWindow(.last(3600), newest: 10_000, oldest: 9_000)?.from == 9_000)
        #expect(DashboardWindow(.last(3600), newest: 10_000, oldest: 9_000)?.shortenedFrom == 3600)
        #expect(DashboardWindow(.last(3600), newest: 10_000, oldest: 6_000) == DashboardWindow(from: 6_400, to: 10_000))
        #expect(DashboardWindow(.last(3600), newest: 10_000, oldest: 6_400) == DashboardWindow(from: 6_400, to: 10_000))
        // A single snapshot: no stretch to fill, the range stays as asked.
        #expect(DashboardWindow(.last(3600), newest: 10_000, oldest: 10_000) == DashboardWindow(from: 6_400, to: 10_000))
        #expect(DashboardWindow(.between(from: 0, to: 10_000), newest: 10_000, oldest: 9_000) == DashboardWindow(from: 0, to: 10_000))
    }

    @Test func theStoreRemembersTheHistoryItDropped() {
        var store = SeriesStore(retention: 120)
        for snapshot in Self.history(minutes: 10) { store.append(snapshot) }
        #expect(store.points.first?.time == Fixture.start - 120)
        #expect(store.historyStart == Fixture.start - 600)
        store.noteHistory(since: Fixture.start - 7200)
        #expect(store.historyStart == Fixture.start - 7200)
    }

    @Test func rangeListsParseAndBadOnesAreRefusedWithAReason() throws {
        let pages = try RangePages.parse(" 1h, 90m ,2h30m").get()
        #expect(pages.ranges.map(\.name) == ["1h", "90m", "2h30m"])
        #expect(pages.ranges.map(\.seconds) == [3600, 5400, 9000])
        #expect(try RangePages.parse("1h, 6h,24h,7d").get().ranges.map(\.name) == ["1h", "6h", "24h", "7d"])
        #expect(try RangePages.parse(RangePages.defaultList).get().longestSeconds == 604_800)
        #expect(try RangePages.parse("1h,6h").get().pageName(at: 1) == "range-6h")
        let failures: [(String, String)] = [
            ("1h,x", "'x' is not a duration such as 90m, 24h or 7d (list: 1h,x)"),
            ("1h,", "'' is not a duration such as 90m, 24h or 7d (list: 1h,)"),
            ("1H", "'1H' is not a duration such as 90m, 24h or 7d (list: 1H)"),
            ("1h,60m", "'60m' is a range the list already has (list: 1h,60m)"),
        ]
        for (list, message) in failures {
            #expect(RangePages.parse(list) == .failure(.input(message)), "\(list)")
        }
    }

    @Test func aFleetGetsOnePagePerRangeForTheOverviewAndEveryNode() throws {
        let (folder, out) = try site(Self.history(minutes: 180, node: "node-1") + Self.history(minutes: 90, node: "node-2"),
                                     ranges: "1h,1d")
        defer { folder.remove() }
        #expect(try files(out).filter { $0.hasSuffix(".html") } == [
            "index.html", "nodes/node-1/index.html", "nodes/node-1/range-1d.html", "nodes/node-2/index.html",
            "nodes/node-2/range-1d.html", "range-1d.html",
        ])
        for (file, current) in [("index.html", 0), ("range-1d.html", 1)] {
            var expected = ["1h=index.html", "1d=range-1d.html"]
            expected[current] += " (current)"
            let overview = try read(out, file)
            #expect(links(overview) == expected, "\(file)")
            #expect(overview.contains("href=\"nodes/node-2/\(file)\""), "\(file)")
            let node = try read(out, "nodes/node-2/" + file)
            #expect(links(node) == expected, "nodes/node-2/\(file)")
            #expect(node.contains("<a href=\"../../\(file)\" id=\"overview-link\">"), "nodes/node-2/\(file)")
        }
        // The fleet's history is node-1's 3 h: the 1d overview starts at the oldest snapshot of any node.
        #expect(text("window-from", in: try read(out, "range-1d.html")) == "2026-11-18 08:06:40 +00:00")
        #expect(try read(out, "range-1d.html").contains("id=\"range-note\""))
        #expect(text("window-from", in: try read(out, "index.html")) == "2026-11-18 10:06:40 +00:00")
    }
}
