import Foundation
import Synchronization
import Testing
import KVTestSupport
@testable import KVStorage

/// LMDB only: group commits, persistence of revisions and TTLs, layout migration.
@Suite struct LMDBRevisionTests {
    typealias Txn = StoreTransaction

    /// Blocks the writer thread in its first batch report (made on that thread after a commit)
    /// until `release()`.
    final class BlockingObserver: StorageObserver, Sendable {
        private let gate = DispatchSemaphore(value: 0)
        private let blocked = Atomic<Bool>(false)
        private let first = Atomic<Bool>(true)
        var isBlocked: Bool { blocked.load(ordering: .acquiring) }
        func release() { gate.signal() }
        func storageDidPerform(_ operation: StorageOperation, key: String?, seconds: Double, batchSize: Int, error: StorageError?) {}
        func storageDidCommitBatch(writes: Int) {
            guard first.exchange(false, ordering: .acquiringAndReleasing) else { return }
            blocked.store(true, ordering: .releasing)
            gate.wait()
        }
    }

    @Test func twoTransactionsInOneGroupCommitEachGetARevision() async throws {
        let folder = TemporaryFolder()
        let observer = BlockingObserver()
        let store = try LMDBStore(options: .init(path: folder.path), observer: observer)
        let first = Task { try await store.setValue([0], forKey: "first") }
        #expect(await eventually { observer.isBlocked })
        let commitsBefore = try store.statistics().commits
        let claims = (0..<2).map { index in
            Task {
                try await store.commit(Txn(
                    compare: [.init(key: "x", .exists(false))],
                    success: [.put("x", [UInt8(index)])],
                    failure: [.put("lost-\(index)", [UInt8(index)]), .get("x")]))
            }
        }
        #expect(await eventually { store.queuedWriteCount == 2 })
        observer.release()
        _ = try await first.value
        let outcomes = try await [claims[0].value, claims[1].value].sorted { $0.revision < $1.revision }
        #expect(try store.statistics().commits == commitsBefore + 1)
        #expect(outcomes.map(\.revision) == [2, 3])
        #expect(outcomes.map(\.succeeded) == [true, false])
        // The second saw the first's put in the same LMDB transaction.
        guard case .put(true, let winner) = outcomes[0].results[0] else { Issue.record("no put"); return }
        #expect(outcomes[1].results.last == .get(winner))
        await store.close()
    }

    @Test func revisionsAndTTLsSurviveReopen() async throws {
        let folder = TemporaryFolder()
        let clock = TestTime()
        let store = try LMDBStore(options: .init(path: folder.path), now: { clock.now })
        try await store.setValue([1], forKey: "a")
        try await store.setValue([2], forKey: "a")
        _ = try await store.put([3], forKey: "ttl", expiresAt: clock.now.addingTimeInterval(30))
        #expect(store.layoutMigration == nil)
        await store.close()

        let reopened = try LMDBStore(options: .init(path: folder.path), now: { clock.now })
        #expect(reopened.layoutMigration == nil)
        #expect(try await reopened.currentRevision() == 3)
        #expect(try await reopened.record(forKey: "a") == KeyRecord(value: [2], createRevision: 1, modRevision: 2, version: 2))
        #expect(try await reopened.record(forKey: "ttl")?.expiresAt == clock.now.addingTimeInterval(30))
        #expect(try reopened.statistics().entries == 2)
        try await reopened.setValue([4], forKey: "b")
        #expect(try await reopened.record(forKey: "b")?.modRevision == 4)
        clock.advance(30)
        #expect(try await reopened.value(forKey: "ttl") == nil)
        #expect(try await reopened.removeExpired(limit: 100) == 1)
        #expect(try reopened.statistics().entries == 2)
        await reopened.close()
    }

    @Test func internalKeysStayOutOfListingsAndCounts() async throws {
        let folder = TemporaryFolder()
        let clock = TestTime()
        let store = try LMDBStore(options: .init(path: folder.path), now: { clock.now })
        _ = try await store.put([1], forKey: "k", expiresAt: clock.now.addingTimeInterval(5))
        try await store.probe()
        #expect(try await store.keys(prefix: "", after: nil, limit: 10).entries.map(\.key) == ["k"])
        #expect(try store.statistics().entries == 1)
        await store.close()
    }

    @Test func deletingTransactionsAndTheSweeperFreeSpaceAboveALoweredQuota() async throws {
        let folder = TemporaryFolder()
        let clock = TestTime()
        let value = Array(repeating: UInt8(7), count: 1 << 20)
        let large = try LMDBStore(options: .init(path: folder.path, durability: .none, quotaBytes: 256 << 20), now: { clock.now })
        for index in 0..<6 {
            _ = try await large.put(value, forKey: "big-\(index)", expiresAt: index == 5 ? clock.now.addingTimeInterval(1) : nil)
        }
        await large.close()

        let small = try LMDBStore(options: .init(path: folder.path, durability: .none, quotaBytes: 2 << 20), now: { clock.now })
        let refusal = await #expect(throws: StorageError.self) {
            try await small.commit(Txn(success: [.delete("big-0"), .put("one-more", value)]))
        }
        #expect(refusal?.code == .quotaExceeded)
        let deleted = try await small.commit(Txn(compare: [.init(key: "big-0", .exists(true))], success: [.delete("big-0"), .get("big-1")]))
        #expect(deleted.succeeded && deleted.revision == 7)
        clock.advance(1)
        #expect(try await small.removeExpired(limit: 10) == 1)
        #expect(try small.statistics().entries == 4)
        #expect(try await small.currentRevision() == 8)
        await small.close()
    }

    /// Writes `entries` the way releases before layout 2 did: raw key → raw value, no marker.
    static func writeLayoutOne(_ path: String, _ entries: [String: [UInt8]], extra: [([UInt8], [UInt8])] = []) throws {
        let environment = try LMDBEnvironment(path: path, initialMapSize: 64 << 20, durability: .always)
        try environment.withWriteTransaction { txn throws(LMDBFailure) in
            for (key, value) in entries { try txn.put(Array(key.utf8), value) }
            for (key, value) in extra { try txn.put(key, value) }
        }
        try environment.sync()
        environment.close()
    }

    @Test func anOldLayoutFolderIsMigratedOnceAndServesItsKeys() async throws {
        let folder = TemporaryFolder()
        let old: [String: [UInt8]] = ["a": [1, 2, 3], "b/c": [], "caf\u{E9}": Array(repeating: 9, count: 5000)]
            .merging((0..<1500).map { ("bulk-\($0)", Array("\($0)".utf8)) }) { $1 }
        try Self.writeLayoutOne(folder.path, old)

        let recorder = ChangeRecorder()
        let store = try LMDBStore(options: .init(path: folder.path), observer: recorder)
        #expect(store.layoutMigration?.keys == old.count)
        #expect(store.layoutMigration?.description == "migrated \(old.count) keys to layout 2")
        #expect(recorder.migrated.map(\.keys) == [old.count])
        #expect(try await store.currentRevision() == 1)
        #expect(try store.statistics().entries == old.count)
        for (key, value) in old {
            #expect(try await store.record(forKey: key) == KeyRecord(value: value, createRevision: 1, modRevision: 1, version: 1))
        }
        let page = try await store.keys(prefix: "", after: nil, limit: 3)
        #expect(page.entries == [
            KeyPage.Entry(key: "a", bytes: 3, createRevision: 1, modRevision: 1, version: 1),
            KeyPage.Entry(key: "b/c", bytes: 0, createRevision: 1, modRevision: 1, version: 1),
            KeyPage.Entry(key: "bulk-0", bytes: 1, createRevision: 1, modRevision: 1, version: 1),
        ])
        try await store.setValue([4], forKey: "a")
        #expect(try await store.record(forKey: "a") == KeyRecord(value: [4], createRevision: 1, modRevision: 2, version: 2))
        try await store.setValue([5], forKey: "new")
        #expect(try await store.record(forKey: "new")?.createRevision == 3)
        await store.close()

        let again = try LMDBStore(options: .init(path: folder.path))
        #expect(again.layoutMigration == nil)
        #expect(try await again.value(forKey: "caf\u{E9}") == old["caf\u{E9}"])
        #expect(try await again.currentRevision() == 3)
        #expect(try again.statistics().entries == old.count + 1)
        await again.close()
    }

    @Test func aMigrationThatOutgrowsTheMapResizesIt() async throws {
        let folder = TemporaryFolder()
        // 40 values of 1 MiB in a 64 MiB map: the one-transaction rewrite needs the old and new copies.
        let value = Array(repeating: UInt8(3), count: 1 << 20)
        let old = Dictionary(uniqueKeysWithValues: (0..<40).map { ("big-\($0)", value) })
        try Self.writeLayoutOne(folder.path, old)
        let store = try LMDBStore(options: .init(path: folder.path, durability: .none))
        #expect(store.layoutMigration?.keys == 40)
        #expect(try await store.value(forKey: "big-39") == value)
        await store.close()
    }

    @Test func aFreshFolderGetsTheMarkerWithoutAMigration() async throws {
        let folder = TemporaryFolder()
        let recorder = ChangeRecorder()
        let store = try LMDBStore(options: .init(path: folder.path), observer: recorder)
        #expect(store.layoutMigration == nil && recorder.migrated.isEmpty)
        #expect(try await store.currentRevision() == 0)
        #expect(try store.statistics().entries == 0)
        await store.close()
        let environment = try LMDBEnvironment(path: folder.path, initialMapSize: 64 << 20, durability: .always)
        let layout = try environment.withReadTransaction { txn throws(StorageError) in
            try txn.withValue(LMDBLayout.layoutKey, LMDBLayout.decodeLayout)
        }
        #expect(layout == .some(2))
        environment.close()
    }

    @Test func aNewerLayoutIsRefused() async throws {
        let folder = TemporaryFolder()
        let store = try LMDBStore(options: .init(path: folder.path))
        try await store.setValue([1], forKey: "k")
        await store.close()
        let environment = try LMDBEnvironment(path: folder.path, initialMapSize: 64 << 20, durability: .always)
        try environment.withWriteTransaction { txn throws(LMDBFailure) in
            try txn.put(LMDBLayout.layoutKey, LMDBLayout.encodedLayout(3))
        }
        environment.close()
        let error = #expect(throws: StorageError.self) { try LMDBStore(options: .init(path: folder.path)) }
        #expect(error?.code == .io)
        #expect(error?.message.contains("layout 3") == true)
        // The refused folder is not left open: a later open reports the same refusal, not "already open".
        let again = #expect(throws: StorageError.self) { try LMDBStore(options: .init(path: folder.path)) }
        #expect(again?.message.contains("layout 3") == true)
    }
}
