import Foundation
import KVTestSupport
import KVSnapshot
import Testing
@testable import KVDashboard

/// The live server's dashboard state (`LiveSite`): its pages are the generator's, its start-up
/// load stops when asked, and snapshots extend it.
@Suite struct LiveSiteTests {
    func snapshots(_ count: Int) -> [Snapshot] {
        (0..<count).map { (index: Int) -> Snapshot in
            let step = Double(index)
            let ok: Double = step * step * 3
            let fast = UInt64(index * 4), all = UInt64(index * 5)
            return Fixture.snapshot(offset: step * 15, uptime: 600 + step * 15, sequence: UInt64(index + 1),
                                    requests: [("200", ok), ("500", step)], latency: [(0.1, fast), (1, all), (.infinity, all)])
        }
    }

    func site() throws -> LiveSite {
        let generator = DashboardGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder),
                                           options: DashboardOptions(refreshSeconds: 30))
        return LiveSite(generator: generator, ranges: try RangePages.parse("1m,5m,1h").get())
    }

    @Test func itsPagesAreTheGeneratorsPagesByteForByte() throws {
        let archive = try Fixture.writeArchive(snapshots(30))
        var live = try site()
        try live.load(archive: SnapshotArchive(directory: archive.path), node: "node-1")
        #expect(live.store.points.count == 30)
        let now = Date(timeIntervalSince1970: Fixture.start + 500)
        let rendered = try live.render(now: now)
        let generated = try ArchiveSite(archives: ArchiveSet([SnapshotArchive(directory: archive.path)]),
                                        generator: live.generator, ranges: live.ranges, now: now).site
        #expect(rendered.files.keys.sorted() == generated.files.keys.sorted())
        #expect(rendered.files.keys.contains("range-5m.html"))
        for (path, data) in rendered.files { #expect(data == generated.files[path], "\(path)") }
    }

    @Test func aStopBetweenFilesEndsTheLoadWithCancellation() throws {
        let archive = try Fixture.writeArchive(snapshots(10))
        var live = try site()
        var asked = 0
        #expect(throws: CancellationError.self) {
            try live.load(archive: SnapshotArchive(directory: archive.path), node: "node-1") {
                asked += 1
                return asked > 3
            }
        }
        #expect(asked == 4)
        #expect(live.store.points.isEmpty, "a stopped load leaves the site as it was")
    }

    @Test func appendingExtendsTheLoadedWindowAndRefusesOlderSnapshots() throws {
        let all = snapshots(12)
        let archive = try Fixture.writeArchive(Array(all.prefix(10)))
        var live = try site()
        try live.load(archive: SnapshotArchive(directory: archive.path), node: "node-1")
        let (tenth, eleventh, old) = (live.append(all[10]), live.append(all[11]), live.append(all[3]))
        #expect(tenth && eleventh && !old)
        #expect(live.store.points.map(\.time) == all.map { $0.time.timeIntervalSince1970 })
        #expect(live.store.latest?.sequence == 12)
    }

    /// A page's charts are drawn again once its window moved by a pixel column (range ÷ plot width),
    /// and kept until then; its text is always the newest.
    @Test func aPageRedrawsItsChartsOnlyOnceItsWindowMovedAPixelColumn() throws {
        func snapshot(_ index: Int, at offset: Double) -> Snapshot {
            let step = Double(index)
            return Fixture.snapshot(offset: offset, uptime: 600 + offset, sequence: UInt64(index + 1),
                                    requests: [("200", step * step * 3), ("500", step)],
                                    latency: [(0.1, UInt64(index * 4)), (1, UInt64(index * 5)), (.infinity, UInt64(index * 5))])
        }
        // 75 minutes of 15 s snapshots: the 1 h page's column is 3600 / 562 = 6.4 s, the 1 m page's 0.1 s.
        let archive = try Fixture.writeArchive((0..<300).map { snapshot($0, at: Double($0) * 15) })
        let generator = DashboardGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder),
                                           options: DashboardOptions(refreshSeconds: 30))
        var live = LiveSite(generator: generator, ranges: try RangePages.parse("1m,1h").get())
        try live.load(archive: SnapshotArchive(directory: archive.path), node: "node-1")
        let hourChart = "charts/range-1h-request-rate.svg", minuteChart = "charts/request-rate.svg"
        let first = try live.render(now: Date(timeIntervalSince1970: Fixture.start + 300 * 15))

        let appended = live.append(snapshot(300, at: 299 * 15 + 2)) // 2 s later: less than the 1 h page's column
        #expect(appended)
        let second = try live.render(now: Date(timeIntervalSince1970: Fixture.start + 300 * 15 + 2))
        #expect(second.files[hourChart] == first.files[hourChart], "kept: the window moved 2 s of a 6.4 s column")
        #expect(second.files[minuteChart] != first.files[minuteChart], "redrawn: the 1 m page's column is 0.1 s")
        #expect(second.files["range-1h.html"] != first.files["range-1h.html"], "the page's text is the newest")
        let newest = try #require(second.files["range-1h.html"].flatMap { String(data: $0, encoding: .utf8) })
        let newestTime = LocalTime(timeZone: live.generator.options.timeZone).full(Fixture.start + 299 * 15 + 2)
        #expect(newest.contains(newestTime), "the newest snapshot's time is on the page")

        let appendedLater = live.append(snapshot(301, at: 300 * 15 + 5)) // 20 s after the first render: more than a column
        #expect(appendedLater)
        let third = try live.render(now: Date(timeIntervalSince1970: Fixture.start + 300 * 15 + 5))
        #expect(third.files[hourChart] != second.files[hourChart], "redrawn once the window moved a column")
        let fresh = try ArchiveSite(archives: ArchiveSet([SnapshotArchive(directory: archive.path)]),
                                    generator: live.generator, ranges: live.ranges,
                                    now: Date(timeIntervalSince1970: Fixture.start + 300 * 15)).site
        #expect(first.files[hourChart] == fresh.files[hourChart])
    }
}

