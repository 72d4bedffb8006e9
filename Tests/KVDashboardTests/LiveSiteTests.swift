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
}
