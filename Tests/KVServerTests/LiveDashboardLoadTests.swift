import Foundation
import Testing
import KVConfiguration
import KVSnapshot
import KVTestSupport
@testable import KVServer

/// The live dashboard's start-up load: snapshots that arrive meanwhile are added after the
/// archive's, and a shutdown stops the load at the next file.
@Suite struct LiveDashboardLoadTests {
    static let start = 1_795_000_000.0

    func snapshot(_ index: Int) -> Snapshot {
        let time = Date(timeIntervalSince1970: Self.start + Double(index) * 15)
        let stamp = SnapshotTime.format(time)
        return Snapshot(
            sequence: UInt64(index + 1), nodeID: "node-1", time: time, version: "1.2.3", uptimeSeconds: 100 + Double(index) * 15,
            health: HealthReport(status: .healthy, version: "1.2.3", uptimeSeconds: 100, checks: [:],
                                 summary: HealthSummary(total: 0, healthy: 0, degraded: 0, unhealthy: 0),
                                 system: SystemInfo(swiftVersion: "6.3.1", os: "Linux", cpuCount: 2, memoryTotalBytes: 8e9,
                                                    residentMemoryBytes: 5e7, threads: 4, pid: 1, hostname: "h"),
                                 time: stamp),
            metrics: [], storage: nil, alerts: [])
    }

    /// A live dashboard over an archive of `count` snapshots of node-1.
    func dashboard(_ folder: TemporaryFolder, archived count: Int) throws -> LiveDashboard {
        let configuration = testConfiguration(folder: folder) {
            $0.node.id = "node-1"
            $0.dashboard.directory = folder.path + "/public"
            $0.dashboard.templatesDirectory = URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("templates").path
        }
        try FileManager.default.createDirectory(atPath: configuration.snapshots.directory, withIntermediateDirectories: true)
        let codec = SnapshotCodec()
        for index in 0..<count {
            let snapshot = snapshot(index)
            let name = SnapshotFileName(node: "node-1", sequence: snapshot.sequence, time: snapshot.time).description
            try codec.encode(snapshot).write(to: URL(fileURLWithPath: configuration.snapshots.directory + "/" + name))
        }
        return try #require(makeLiveDashboard(configuration: configuration, archive: makeSnapshotArchive(configuration: configuration),
                                              logger: testLogger()))
    }

    func publishedCount(_ folder: TemporaryFolder) throws -> Int? {
        let page = try String(contentsOfFile: folder.path + "/public/index.html", encoding: .utf8)
        return DashboardRoutesTests.snapshotCount(page)
    }

    @Test func aSnapshotThatArrivesBeforeTheLoadIsAddedAfterTheArchive() async throws {
        let folder = TemporaryFolder()
        let dashboard = try dashboard(folder, archived: 40)
        // The snapshot service can hand over a snapshot before DashboardService has run.
        async let first: Void = dashboard.append(snapshot(40))
        async let load: Void = dashboard.loadArchive()
        _ = await (first, load)
        await dashboard.append(snapshot(41))
        #expect(try publishedCount(folder) == 42)
    }

    @Test func aShutdownDuringTheLoadStopsItAndThePageStillPublishes() async throws {
        let folder = TemporaryFolder()
        let dashboard = try dashboard(folder, archived: 40)
        dashboard.stopLoadingArchive()
        await dashboard.loadArchive()
        let page = try String(contentsOfFile: folder.path + "/public/index.html", encoding: .utf8)
        #expect(!page.contains("40 snapshots"))
        await dashboard.append(snapshot(40))
        #expect(try publishedCount(folder) == 1)
    }
}
