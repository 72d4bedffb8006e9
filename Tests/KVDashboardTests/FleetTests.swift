import Foundation
import KVTestSupport
import KVSnapshot
import Testing
@testable import KVDashboard

@Suite struct FleetTests {
    static let now = Date(timeIntervalSince1970: Fixture.start + 40)
    /// Latency buckets with every observation at most 100 ms.
    static func bucketsAt(_ count: UInt64) -> [(le: Double, count: UInt64)] {
        [(0.1, count), (0.5, count), (1, count), (.infinity, count)]
    }

    /// node-1: 10 req/s with 10% 5xx, p99 99 ms, 64 MiB, newest 10 s old. node-2: 20 req/s, 128 MiB,
    /// stopped 85 s ago (stale). node-3: 5 req/s, 32 MiB, restarted before its newest snapshot.
    static func fleet() -> [Snapshot] {
        let mib = 1_048_576.0
        return [
            Fixture.snapshot(offset: 0, uptime: 3600, sequence: 1, node: "node-1", requests: [("200", 0), ("500", 0)],
                             latency: bucketsAt(0), memory: 64 * mib),
            Fixture.snapshot(offset: 15, uptime: 3615, sequence: 2, node: "node-1", requests: [("200", 135), ("500", 15)],
                             latency: bucketsAt(10), memory: 64 * mib),
            Fixture.snapshot(offset: 30, uptime: 3630, sequence: 3, node: "node-1", requests: [("200", 270), ("500", 30)],
                             latency: bucketsAt(20), memory: 64 * mib),
            Fixture.snapshot(offset: -60, uptime: 100, sequence: 7, node: "node-2", requests: [("200", 0)], memory: 128 * mib),
            Fixture.snapshot(offset: -45, uptime: 115, sequence: 8, node: "node-2", requests: [("200", 300)], memory: 128 * mib),
            Fixture.snapshot(offset: 0, uptime: 3600, sequence: 1, node: "node-3", requests: [("200", 0)], memory: 32 * mib),
            Fixture.snapshot(offset: 15, uptime: 3615, sequence: 2, node: "node-3", requests: [("200", 75)], memory: 32 * mib),
            Fixture.snapshot(offset: 30, uptime: 10, sequence: 3, node: "node-3", requests: [("200", 50)], memory: 32 * mib),
        ]
    }

    func generator(_ options: DashboardOptions = DashboardOptions(window: .last(3600))) throws -> DashboardGenerator {
        DashboardGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder), options: options)
    }

    func value(_ id: String, in page: String) -> String? {
        guard let start = page.range(of: "id=\"\(id)\">") else { return nil }
        let rest = page[start.upperBound...]
        return rest.range(of: "<").map { String(rest[..<$0.lowerBound]) }
    }

    func publish(_ site: RenderedSite) throws -> (folder: TemporaryFolder, out: URL) {
        let folder = TemporaryFolder("fleet-site")
        let out = folder.url.appendingPathComponent("public")
        try SitePublisher().publish(site, to: out)
        return (folder, out)
    }

    func read(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }

    @Test func aThreeNodeArchiveGetsAnOverviewWithOneRowPerNodeAndTheRightValues() throws {
        let archive = try Fixture.writeArchive(Self.fleet())
        let built = try ArchiveSite(archives: ArchiveSet([SnapshotArchive(directory: archive.path)]), generator: generator(), now: Self.now)
        #expect(built.nodes == 3)
        #expect(built.snapshots == 8)
        let (folder, out) = try publish(built.site)
        defer { folder.remove() }
        let page = try read(out.appendingPathComponent("index.html"))

        #expect(page.components(separatedBy: "<tr id=\"node-").count - 1 == 3)
        #expect(value("node-count", in: page) == "3")
        #expect(value("node-1-link", in: page) == "node-1")
        #expect(value("node-2-link", in: page) == "node-2")
        #expect(value("node-3-link", in: page) == "node-3")
        #expect(value("node-1-request-rate", in: page) == "10.0 req/s")
        #expect(value("node-1-error-ratio", in: page) == "10.0%")
        #expect(value("node-1-latency-p99", in: page) == "99.0 ms")
        #expect(value("node-1-memory", in: page) == "64.0 MiB")
        #expect(value("node-1-age", in: page) == "10 s ago")
        #expect(value("node-1-restarts", in: page) == "0")
        #expect(value("node-2-request-rate", in: page) == "20.0 req/s")
        #expect(value("node-2-error-ratio", in: page) == "0%")
        #expect(value("node-2-latency-p99", in: page) == "–")
        #expect(value("node-2-memory", in: page) == "128 MiB")
        #expect(value("node-2-age", in: page) == "1 min 25 s ago")
        #expect(value("node-3-request-rate", in: page) == "5.00 req/s")
        #expect(value("node-3-memory", in: page) == "32.0 MiB")
        #expect(value("node-3-restarts", in: page) == "1")
        #expect(page.contains("id=\"node-2-stale\""))
        #expect(!page.contains("id=\"node-1-stale\"") && !page.contains("id=\"node-3-stale\""))
        #expect(value("stale-warning", in: page)?.hasPrefix("Stale data on 1 of 3 nodes (node-2)") == true)
        #expect(value("fleet-summary", in: page)?.hasPrefix("3 nodes: 3 healthy, 0 degraded, 0 unhealthy") == true)

        // The fleet charts: a line per node and the fleet total (newest step: node-1 and node-3).
        let rate = try read(out.appendingPathComponent("charts/fleet-request-rate.svg"))
        #expect(rate.contains("fleet total: latest 15.0 req/s"))
        #expect(rate.contains("node-1: latest 10.0 req/s"))
        #expect(rate.contains("node-2: latest 20.0 req/s"))
        #expect(rate.contains("node-3: latest 5.00 req/s"))
        #expect(try read(out.appendingPathComponent("charts/fleet-error-ratio.svg")).contains("fleet total: latest 6.67%"))
        #expect(try read(out.appendingPathComponent("charts/fleet-memory.svg")).contains("fleet total: latest 96.0 MiB"))
        #expect(page.components(separatedBy: "<svg ").count - 1 == 5)

        // Each row links to the node's own page, which links back and shows the same figures.
        for (index, node) in ["node-1", "node-2", "node-3"].enumerated() {
            #expect(page.contains("href=\"nodes/\(node)/index.html\""))
            let nodePage = try read(out.appendingPathComponent("nodes/\(node)/index.html"))
            #expect(nodePage.contains("href=\"../../index.html\""))
            #expect(nodePage.contains("Node <strong>\(node)</strong>"))
            #expect(value("metric-request-rate", in: nodePage) == value("node-\(index + 1)-request-rate", in: page))
            #expect(value("stat-memory", in: nodePage) == value("node-\(index + 1)-memory", in: page))
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("nodes/\(node)/charts/latency.svg").path))
        }
        let files = try FileManager.default.subpathsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".html") || $0.hasSuffix(".svg") }
        #expect(files.count == 1 + 5 + 3 * 13)
        for file in files {
            let result = try Fixture.xmllint(out.appendingPathComponent(file))
            #expect(result.status == 0, "\(file): \(result.errors)")
        }
    }

    @Test func nodeIdsFromDataAreEscapedEverywhereAndNeverReachALink() throws {
        let ids = ["a<&\"b", InjectionTests.hostile]
        let snapshots = ids.flatMap { id in
            [0.0, 15, 30].enumerated().map { index, offset in
                Fixture.snapshot(offset: offset, uptime: 100 + offset, sequence: UInt64(index + 1), node: id,
                                 requests: [("200", 10 * offset)])
            }
        }
        let archive = try Fixture.writeArchive(snapshots)
        let site = try ArchiveSite(archives: ArchiveSet([SnapshotArchive(directory: archive.path)]), generator: generator(), now: Self.now).site
        let (folder, out) = try publish(site)
        defer { folder.remove() }
        let page = site.page
        #expect(page.contains(">a&lt;&amp;&quot;b</a>"))
        #expect(!page.contains("a<&\"b"))
        #expect(page.contains("href=\"nodes/a___b/index.html\""))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("nodes/a___b/index.html").path))
        let hostileFolder = "nodes/" + SnapshotFileName.nameComponent(forNode: InjectionTests.hostile)
        #expect(hostileFolder.allSatisfy { $0.isLetter || $0.isNumber || "/._-".contains($0) })
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(hostileFolder + "/index.html").path))
        for (path, data) in site.files {
            let text = String(decoding: data, as: UTF8.self).lowercased()
            #expect(!text.contains("<script") && !text.contains("<img") && !text.contains("a<&\"b"), "\(path)")
            let result = try Fixture.xmllint(out.appendingPathComponent(path))
            #expect(result.status == 0, "\(path): \(result.errors)")
        }
        #expect(String(decoding: site.files["charts/fleet-request-rate.svg"]!, as: UTF8.self).contains("a&lt;&amp;"))
    }

    @Test func theNodeOptionGivesTodaysSinglePage() throws {
        let archive = try Fixture.writeArchive(Self.fleet())
        let generator = try generator()
        let archives = ArchiveSet([SnapshotArchive(directory: archive.path)])
        let site = try ArchiveSite(archives: archives, generator: generator, node: "node-3", now: Self.now).site
        let window = try ArchiveWindow(archive: SnapshotArchive(directory: archive.path), window: .last(3600), node: "node-3")
        #expect(site == (try generator.render(snapshots: window.snapshots, skipped: window.skipped, now: Self.now)))
        #expect(site.files.keys.allSatisfy { !$0.hasPrefix("nodes/") })
        #expect(site.page.contains("Node <strong>node-3</strong>"))
        #expect(!site.page.contains("overview-link") && !site.page.contains("node-count"))
        #expect(value("metric-request-rate", in: site.page) == "5.00 req/s")
    }

    @Test func aOneNodeArchiveGetsTodaysPage() throws {
        let one = Self.fleet().filter { $0.nodeID == "node-1" }
        let archive = try Fixture.writeArchive(one)
        let generator = try generator()
        let built = try ArchiveSite(archives: ArchiveSet([SnapshotArchive(directory: archive.path)]), generator: generator, now: Self.now)
        #expect(built.nodes == 1)
        let window = try ArchiveWindow(archive: SnapshotArchive(directory: archive.path), window: .last(3600))
        #expect(built.site == (try generator.render(snapshots: window.snapshots, skipped: window.skipped, now: Self.now)))
        #expect(built.site.files.count == 13)
        #expect(!built.site.page.contains("overview-link"))
    }

    @Test func severalFoldersAreReadAsOneArchive() throws {
        let snapshots = Self.fleet()
        let first = try Fixture.writeArchive(snapshots.filter { $0.nodeID != "node-2" })
        let second = try Fixture.writeArchive(snapshots.filter { $0.nodeID != "node-1" }, extraFiles: ["notes.txt": "x"])
        let archives = ArchiveSet([SnapshotArchive(directory: first.path), SnapshotArchive(directory: second.path)])
        #expect(try archives.nodes() == ["node-1", "node-2", "node-3"])
        let built = try ArchiveSite(archives: archives, generator: generator(), now: Self.now)
        #expect(built.nodes == 3)
        #expect(built.snapshots == 8) // node-3's files are in both folders and read once
        #expect(built.skipped == 1)
        #expect(built.site.page.contains(second.path + "/notes.txt"))
        #expect(value("node-3-request-rate", in: built.site.page) == "5.00 req/s")
    }

    @Test func aTemplatesFolderWithoutTheFleetTemplatesFailsOnlyForAnOverview() throws {
        let templates = TemporaryFolder("old-templates")
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixture.templatesFolder.path)
        where !["fleet.mustache", "nodes.mustache", "fleet.css"].contains(name) {
            try FileManager.default.copyItem(at: Fixture.templatesFolder.appendingPathComponent(name),
                                             to: templates.url.appendingPathComponent(name))
        }
        let generator = DashboardGenerator(templates: try DashboardTemplates(directory: templates.url),
                                           options: DashboardOptions(window: .last(3600)))
        let archive = try Fixture.writeArchive(Self.fleet())
        let archives = ArchiveSet([SnapshotArchive(directory: archive.path)])
        let failure = #expect(throws: DashboardError.self) { try ArchiveSite(archives: archives, generator: generator, now: Self.now) }
        #expect(failure?.code == .templates)
        #expect(failure?.description.contains("fleet") == true)
        let single = try ArchiveSite(archives: archives, generator: generator, node: "node-1", now: Self.now)
        #expect(value("metric-request-rate", in: single.site.page) == "10.0 req/s")
    }

    @Test func fleetStepsEndAtTheWindowsEndAndSpanTwoIntervals() {
        let steps = FleetSteps(from: 0, to: 100, typicalIntervals: [10, 15])
        #expect(steps.step == 30)
        #expect(steps.times == [10, 40, 70, 100])
        var points = [SeriesPoint(time: 75), SeriesPoint(time: 90), SeriesPoint(time: 100)]
        points[0].requestRate = 2
        points[1].requestRate = 4
        points[2].requestRate = .nan
        let summaries = steps.summaries(of: points[...])
        #expect(summaries[3].requestRate == 3)
        #expect(summaries[2].requestRate.isNaN)
        #expect(FleetStepSummary.total([summaries[3], summaries[3]]).requestRate == 6)
    }
}
