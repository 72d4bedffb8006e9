import Foundation
import KVConfiguration
import KVSnapshot
import KVStorage
import KVTestSupport
import Testing
@testable import KVServer

/// The snapshot's `cluster` section: written only on a shared store, from the members the node last
/// read (never a database read on the snapshot's path).
@Suite struct ClusterSnapshotTests {
    static let started = Date(timeIntervalSince1970: 1_795_000_000)

    func member(_ node: String, state: Member.State = .alive, lastSeen: Date, interval: Double = 5) -> Member {
        Member(node: node, url: "http://\(node):8080", version: "1.2.3", startedAt: Self.started, lastSeen: lastSeen,
               interval: interval, health: "healthy", state: state)
    }

    /// A server on the `postgres` engine whose database is not there (nothing listens on port 9): the
    /// snapshot must not need it.
    func sharedConfiguration(_ folder: TemporaryFolder) -> KVStoreConfiguration {
        testConfiguration(folder: folder) {
            $0.storage.engine = .postgres
            $0.storage.postgres.hosts = [.init(host: "127.0.0.1", port: 9)]
            $0.storage.postgres.tls = .disable
            $0.storage.postgres.connectTimeoutSeconds = 1
            $0.storage.postgres.statementTimeoutSeconds = 1
            $0.snapshots.compress = false
        }
    }

    @Test func aLocalEngineWritesNoClusterSection() async throws {
        let folder = TemporaryFolder()
        let parts = try buildServer(configuration: testConfiguration(folder: folder) { $0.snapshots.compress = false },
                                    logger: testLogger(), clock: ManualClock())
        #expect(parts.routes.cluster.registry == nil)
        // Even with members remembered, a node on a local store writes no section.
        parts.routes.cluster.lastRead.remember([member("other", lastSeen: Date())], readAt: Date())
        let service = try #require(parts.snapshots)
        let result = try await service.takeSnapshot()
        #expect(result.snapshot.cluster == nil)
        let file = try #require(try parts.routes.archive.latest())
        #expect(file.snapshot.cluster == nil)
        let text = try String(contentsOfFile: folder.path + "/snapshots/" + file.file.name, encoding: .utf8)
        #expect(!text.contains("\"cluster\""))
    }

    @Test(.timeLimit(.minutes(1)))
    func aSharedStoreWritesTheMembersLastReadInTheirStateAtTheSnapshot() async throws {
        let folder = TemporaryFolder()
        let parts = try buildServer(configuration: sharedConfiguration(folder), logger: testLogger(), clock: ManualClock())
        let cluster = parts.routes.cluster
        #expect(cluster.registry != nil)
        let service = try #require(parts.snapshots)

        // Before the first read: the section is there, with no members.
        #expect(try await service.takeSnapshot().snapshot.cluster == ClusterSnapshot(members: []))

        let now = Date()
        cluster.lastRead.remember([
            member("node-a", lastSeen: now.addingTimeInterval(-1)),
            member("node-b", lastSeen: now.addingTimeInterval(-60)), // read alive, silent for 12 intervals since
            member("node-c", state: .left, lastSeen: now.addingTimeInterval(-30)),
        ], readAt: now)
        // A read that fails (the database is away) keeps what was read before.
        await #expect(throws: StorageError.self) { try await cluster.members() }

        let written = try await service.takeSnapshot().snapshot
        let section = try #require(written.cluster)
        #expect(section.members.map(\.node) == ["node-a", "node-b", "node-c"])
        #expect(section.members.map(\.state) == [.alive, .missing, .left])
        #expect(section.members[0] == ClusterMemberSnapshot(
            node: "node-a", url: "http://node-a:8080", version: "1.2.3", state: .alive, health: "healthy",
            startedAt: "2026-11-18T11:06:40.000Z", lastSeen: SnapshotTime.format(now.addingTimeInterval(-1))))
        // The file holds the same section.
        let file = try #require(try parts.routes.archive.latest())
        #expect(file.snapshot.cluster == section)
        await parts.store.close()
    }

    @Test func aLaterReadIsNotReplacedByAnEarlierOneThatFinishesAfterIt() {
        let lastRead = LastReadMembers()
        let now = Date()
        #expect(lastRead.current.isEmpty)
        lastRead.remember([member("new", lastSeen: now)], readAt: now)
        lastRead.remember([member("old", lastSeen: now)], readAt: now.addingTimeInterval(-1))
        #expect(lastRead.current.map(\.node) == ["new"])
        lastRead.remember([member("newer", lastSeen: now)], readAt: now.addingTimeInterval(1))
        #expect(lastRead.current.map(\.node) == ["newer"])
    }
}
