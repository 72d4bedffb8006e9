import Foundation
import KVTestSupport
import KVSnapshot
import Testing
@testable import KVDashboard

@Suite struct DashboardWindowTests {
    @Test func lastEndsAtTheNewestSnapshotAndBetweenIsExact() {
        #expect(DashboardWindow(.last(60), newest: 1000) == DashboardWindow(from: 940, to: 1000))
        #expect(DashboardWindow(.last(60), newest: nil) == nil)
        #expect(DashboardWindow(.between(from: 10, to: 20), newest: 1000) == DashboardWindow(from: 10, to: 20))
        #expect(DashboardWindow(.between(from: 10, to: 20), newest: nil) == DashboardWindow(from: 10, to: 20))
        let window = DashboardWindow(from: 10, to: 20)
        #expect(window.contains(10) && window.contains(20) && !window.contains(9.999) && !window.contains(20.001))
    }

    @Test func theGeneratorEndsAnEmptyLastWindowNow() throws {
        let generator = DashboardGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder),
                                           options: DashboardOptions(window: .last(3600)))
        let now = Date(timeIntervalSince1970: Fixture.start)
        #expect(generator.window(newest: nil, now: now) == DashboardWindow(from: Fixture.start - 3600, to: Fixture.start))
        #expect(generator.window(newest: Fixture.start - 60, now: now) == DashboardWindow(from: Fixture.start - 3660, to: Fixture.start - 60))
    }

    @Test func theArchiveWindowEndsAtTheNewestFileNameOfTheNode() throws {
        let unreadable = SnapshotFileName(node: "node-1", sequence: 3, time: Date(timeIntervalSince1970: Fixture.start + 45)).description
        let archive = try Fixture.writeArchive(
            [Fixture.snapshot(offset: 0, uptime: 1, sequence: 1), Fixture.snapshot(offset: 15, uptime: 16, sequence: 2)],
            extraFiles: [unreadable: ""])
        let window = try ArchiveWindow(archive: SnapshotArchive(directory: archive.path), window: .last(30))
        #expect(window.bounds == DashboardWindow(from: Fixture.start + 15, to: Fixture.start + 45))
        #expect(window.snapshots.map(\.sequence) == [2])
        #expect(window.skipped.map(\.name) == [unreadable])

        let empty = try ArchiveWindow(archive: SnapshotArchive(directory: archive.path), window: .last(30), node: "node-2")
        #expect(empty.bounds == nil && empty.snapshots.isEmpty)
    }
}
