import Foundation
import Testing
import KVTestSupport
@testable import KVStorage

/// TTLs (absolute expiry times, judged by an injected clock) and change events, on every store.
@Suite struct ExpiryConformanceTests {
    typealias Txn = StoreTransaction

    @Test(arguments: StoreKind.allCases)
    func anExpiredKeyIsInvisibleToEveryRead(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let clock = TestTime()
        let store = try kind.make(folder: folder, clock: clock)
        let expiry = clock.now.addingTimeInterval(10)
        let put = try await store.put([1], forKey: "ttl", expiresAt: expiry)
        guard case .stored(true, let record) = put else { Issue.record("not stored: \(put)"); return }
        #expect(record.expiresAt == expiry)
        try await store.setValue([2], forKey: "plain")
        #expect(try await store.record(forKey: "ttl")?.expiresAt == expiry)
        #expect(try await store.keys(prefix: "", after: nil, limit: 10).entries.map(\.expiresAt) == [nil, expiry])

        clock.advance(10)   // expires at its expiry instant
        #expect(try await store.value(forKey: "ttl") == nil)
        #expect(try await store.record(forKey: "ttl") == nil)
        #expect(try await store.keys(prefix: "", after: nil, limit: 10).entries.map(\.key) == ["plain"])
        let seen = try await store.commit(Txn(
            compare: [.init(key: "ttl", .exists(false)), .init(key: "ttl", .modRevision(0)), .init(key: "ttl", .version(0))],
            success: [.get("ttl"), .delete("ttl")]))
        #expect(seen.succeeded)
        #expect(seen.results == [.get(nil), .delete(existed: false, previousModRevision: 0)])
        #expect(seen.revision == 2)
        // A put over an expired key starts it again.
        let again = try await store.put([3], forKey: "ttl")
        #expect(again == .stored(created: true, record: KeyRecord(value: [3], createRevision: 3, modRevision: 3, version: 1)))
        clock.advance(1_000_000)
        #expect(try await store.value(forKey: "ttl") == [3])
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func aPutWithoutExpiryClearsIt(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let clock = TestTime()
        let store = try kind.make(folder: folder, clock: clock)
        _ = try await store.put([1], forKey: "k", expiresAt: clock.now.addingTimeInterval(5))
        try await store.setValue([2], forKey: "k")
        #expect(try await store.record(forKey: "k") == KeyRecord(value: [2], createRevision: 1, modRevision: 2, version: 2))
        clock.advance(60)
        #expect(try await store.value(forKey: "k") == [2])
        #expect(try await store.removeExpired(limit: 10) == 0)
        #expect(try await store.currentRevision() == 2)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func removeExpiredIsBoundedAndEmitsExpiredDeletes(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let clock = TestTime()
        let recorder = ChangeRecorder()
        let store = try kind.make(folder: folder, observer: recorder, clock: clock)
        for index in 0..<5 {
            _ = try await store.put([UInt8(index)], forKey: "t\(index)", expiresAt: clock.now.addingTimeInterval(Double(10 + index)))
        }
        _ = try await store.put([9], forKey: "later", expiresAt: clock.now.addingTimeInterval(1000))
        try await store.setValue([8], forKey: "forever")
        #expect(try await store.removeExpired(limit: 10) == 0)
        #expect(try await store.currentRevision() == 7)

        clock.advance(100)
        #expect(try await store.removeExpired(limit: 3) == 3)
        #expect(try await store.currentRevision() == 8)
        #expect(try await store.removeExpired(limit: 3) == 2)
        #expect(try await store.currentRevision() == 9)
        #expect(try await store.removeExpired(limit: 3) == 0)
        #expect(try await store.currentRevision() == 9)
        #expect(try await store.keys(prefix: "", after: nil, limit: 10).entries.map(\.key) == ["forever", "later"])
        #expect(try store.statistics().entries == 2)
        #expect(try store.statistics().expiredKeysRemoved == 5)

        let commits = recorder.commits
        #expect(commits.count == 9)
        #expect(commits[7].map(\.key) == ["t0", "t1", "t2"])   // earliest expiry first
        #expect(commits[8].map(\.key) == ["t3", "t4"])
        for change in commits[7] + commits[8] {
            #expect(change.kind == .delete && change.reason == .expired && change.record == nil)
        }
        #expect(commits[7].allSatisfy { $0.modRevision == 8 } && commits[8].allSatisfy { $0.modRevision == 9 })
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func longestKeysExpireAndAreSwept(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let clock = TestTime()
        let store = try kind.make(folder: folder, clock: clock)
        let common = String(repeating: "k", count: 500)
        let keys = [common + "a", common + "b", String(repeating: "z", count: 511)]
        for key in keys { _ = try await store.put([1], forKey: key, expiresAt: clock.now.addingTimeInterval(1)) }
        _ = try await store.put([2], forKey: keys[2], expiresAt: clock.now.addingTimeInterval(2))  // moves its index entry
        clock.advance(1)
        #expect(try await store.keys(prefix: "", after: nil, limit: 10).entries.map(\.key) == [keys[2]])
        #expect(try await store.removeExpired(limit: 10) == 2)
        clock.advance(1)
        #expect(try await store.removeExpired(limit: 10) == 1)
        #expect(try store.statistics().entries == 0)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func changeEventsComeOncePerRevisionInOrder(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let recorder = ChangeRecorder()
        let store = try kind.make(folder: folder, observer: recorder)
        try await store.setValue([1], forKey: "a")                                    // 1
        try await store.setValue([2], forKey: "a")                                    // 2
        #expect(try await store.removeValue(forKey: "missing") == false)              // none
        _ = try await store.commit(Txn(success: [.get("a")]))                          // none
        _ = try await store.commit(Txn(compare: [.init(key: "a", .version(0))], success: [.put("x", [0])]))  // none
        _ = try await store.commit(Txn(success: [.put("b", [3]), .delete("a"), .delete("missing")]))         // 3
        #expect(try await store.removeValue(forKey: "b"))                             // 4
        await #expect(throws: StorageError.self) { try await store.commit(Txn(success: [.put("c", []), .put("", [])])) }

        let commits = recorder.commits
        #expect(commits.count == 4)
        #expect(commits.map { $0.map(\.modRevision) } == [[1], [2], [3, 3], [4]])
        #expect(commits[0] == [StorageChange(key: "a", kind: .put, record: KeyRecord(value: [1], createRevision: 1, modRevision: 1, version: 1), modRevision: 1, reason: .write)])
        #expect(commits[1][0].record == KeyRecord(value: [2], createRevision: 1, modRevision: 2, version: 2))
        #expect(commits[2] == [
            StorageChange(key: "b", kind: .put, record: KeyRecord(value: [3], createRevision: 3, modRevision: 3, version: 1), modRevision: 3, reason: .write),
            StorageChange(key: "a", kind: .delete, record: nil, modRevision: 3, reason: .write),
        ])
        #expect(commits[3] == [StorageChange(key: "b", kind: .delete, record: nil, modRevision: 4, reason: .write)])
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentWritersReportRevisionsInOrder(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let recorder = ChangeRecorder()
        let store = try kind.make(folder: folder, observer: recorder)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for index in 0..<25 { try await store.setValue([UInt8(index)], forKey: "w\(writer)-\(index)") }
                }
            }
            try await group.waitForAll()
        }
        #expect(recorder.commits.map { $0.map(\.modRevision) } == (1...200).map { [Int64($0)] })
        await store.close()
    }
}
