import Foundation
import Testing
import KVTestSupport
@testable import KVStorage

/// Revisions, compares and transactions, as etcd defines them, on every store.
@Suite struct RevisionConformanceTests {
    typealias Txn = StoreTransaction

    @Test(arguments: StoreKind.allCases)
    func revisionsThroughPutPutDeletePut(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(folder: folder)
        #expect(try await store.currentRevision() == 0)
        try await store.setValue([1], forKey: "k")
        #expect(try await store.record(forKey: "k") == KeyRecord(value: [1], createRevision: 1, modRevision: 1, version: 1))
        try await store.setValue([2], forKey: "k")
        #expect(try await store.record(forKey: "k") == KeyRecord(value: [2], createRevision: 1, modRevision: 2, version: 2))
        #expect(try await store.removeValue(forKey: "k"))
        #expect(try await store.record(forKey: "k") == nil)
        #expect(try await store.currentRevision() == 3)
        try await store.setValue([3], forKey: "k")
        #expect(try await store.record(forKey: "k") == KeyRecord(value: [3], createRevision: 4, modRevision: 4, version: 1))
        #expect(try await store.currentRevision() == 4)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func onlyWritesTakeARevision(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(folder: folder)
        try await store.setValue([1], forKey: "a")
        #expect(try await store.removeValue(forKey: "absent") == false)
        _ = try await store.value(forKey: "a")
        _ = try await store.keys(prefix: "", after: nil, limit: 10)
        let reads = try await store.commit(Txn(success: [.get("a"), .get("absent"), .delete("absent")]))
        #expect(reads.revision == 1)
        #expect(reads.results == [.get(KeyRecord(value: [1], createRevision: 1, modRevision: 1, version: 1)), .get(nil),
                                  .delete(existed: false, previousModRevision: 0)])
        let failedCompare = try await store.commit(Txn(compare: [.init(key: "a", .version(9))], success: [.put("a", [9])]))
        #expect(!failedCompare.succeeded && failedCompare.results.isEmpty && failedCompare.revision == 1)
        try await store.probe()
        #expect(try await store.currentRevision() == 1)
        #expect(try await store.record(forKey: "a")?.modRevision == 1)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func listingsCarryRevisions(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(folder: folder)
        try await store.setValue([1], forKey: "a")
        try await store.setValue([2, 2], forKey: "b")
        try await store.setValue([3, 3, 3], forKey: "a")
        let page = try await store.keys(prefix: "", after: nil, limit: 10)
        #expect(page.entries == [
            KeyPage.Entry(key: "a", bytes: 3, createRevision: 1, modRevision: 3, version: 2),
            KeyPage.Entry(key: "b", bytes: 2, createRevision: 2, modRevision: 2, version: 1),
        ])
        #expect(try store.statistics().entries == 2)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func everyCompareKindTrueAndFalse(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(folder: folder)
        try await store.setValue([7], forKey: "k")   // rev 1
        try await store.setValue([8], forKey: "k")   // rev 2: create 1, mod 2, version 2
        let cases: [(String, Txn.Target, Bool)] = [
            ("k", .modRevision(2), true), ("k", .modRevision(1), false),
            ("k", .createRevision(1), true), ("k", .createRevision(2), false),
            ("k", .version(2), true), ("k", .version(1), false),
            ("k", .exists(true), true), ("k", .exists(false), false),
            ("k", .value([8]), true), ("k", .value([7]), false),
            ("absent", .modRevision(0), true), ("absent", .modRevision(1), false),
            ("absent", .version(0), true), ("absent", .version(1), false),
            ("absent", .exists(false), true), ("absent", .exists(true), false),
            ("absent", .value([]), false),
        ]
        for (key, target, expected) in cases {
            let outcome = try await store.commit(Txn(compare: [.init(key: key, target)], success: [.get("k")], failure: []))
            #expect(outcome.succeeded == expected, "\(key) \(target)")
            #expect(outcome.results.count == (expected ? 1 : 0))
        }
        // All compares must hold.
        let mixed = try await store.commit(Txn(compare: [.init(key: "k", .version(2)), .init(key: "k", .exists(false))]))
        #expect(!mixed.succeeded)
        #expect(try await store.currentRevision() == 2)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func successAndFailureBranches(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(folder: folder)
        try await store.setValue([1], forKey: "a")   // rev 1
        let ok = try await store.commit(Txn(
            compare: [.init(key: "a", .modRevision(1))],
            success: [.put("a", [2]), .put("b", [3]), .delete("a"), .get("b")],
            failure: [.put("failed", [0])]))
        #expect(ok.succeeded && ok.revision == 2)
        #expect(ok.results == [
            .put(created: false, record: KeyRecord(value: [2], createRevision: 1, modRevision: 2, version: 2)),
            .put(created: true, record: KeyRecord(value: [3], createRevision: 2, modRevision: 2, version: 1)),
            .delete(existed: true, previousModRevision: 2),
            .get(KeyRecord(value: [3], createRevision: 2, modRevision: 2, version: 1)),
        ])
        let failed = try await store.commit(Txn(
            compare: [.init(key: "a", .exists(true))], success: [.put("success", [0])], failure: [.put("c", [4]), .get("a")]))
        #expect(!failed.succeeded && failed.revision == 3)
        #expect(failed.results == [.put(created: true, record: KeyRecord(value: [4], createRevision: 3, modRevision: 3, version: 1)), .get(nil)])
        #expect(try await store.value(forKey: "success") == nil)
        #expect(try await store.value(forKey: "failed") == nil)
        #expect(try await store.keys(prefix: "", after: nil, limit: 10).entries.map(\.key) == ["b", "c"])
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func aFailingOperationAppliesNothing(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(maxValueBytes: 100, folder: folder)
        try await store.setValue([1], forKey: "a")
        let tooLarge = await #expect(throws: StorageError.self) {
            try await store.commit(Txn(success: [.put("a", [2]), .put("b", Array(repeating: 0, count: 101))]))
        }
        #expect(tooLarge?.code == .valueTooLarge)
        let invalid = await #expect(throws: StorageError.self) {
            try await store.commit(Txn(compare: [.init(key: "a", .exists(true))], success: [.delete("a")], failure: [.get("bad\u{1}key")]))
        }
        #expect(invalid?.code == .invalidKey)
        #expect(try await store.record(forKey: "a")?.value == [1])
        #expect(try await store.value(forKey: "b") == nil)
        #expect(try await store.currentRevision() == 1)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func quotaInsideATransactionAppliesNothing(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(maxValueBytes: 64 << 10, quotaBytes: 1 << 20, folder: folder)
        let value = Array(repeating: UInt8(5), count: 60 << 10)
        try await store.setValue([1], forKey: "first")
        let puts = (0..<40).map { Txn.Operation.put("big-\($0)", value) }
        let error = await #expect(throws: StorageError.self) { try await store.commit(Txn(success: [.delete("first")] + puts)) }
        #expect(error?.code == .quotaExceeded)
        #expect(try await store.value(forKey: "first") == [1])
        #expect(try await store.value(forKey: "big-0") == nil)
        #expect(try await store.currentRevision() == 1)
        #expect(try store.statistics().entries == 1)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func conditionalPutAndDelete(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(folder: folder)
        let created = try await store.put([1], forKey: "k", if: .exists(false))   // If-None-Match: *
        #expect(created == .stored(created: true, record: KeyRecord(value: [1], createRevision: 1, modRevision: 1, version: 1)))
        let current = KeyRecord(value: [1], createRevision: 1, modRevision: 1, version: 1)
        #expect(try await store.put([2], forKey: "k", if: .exists(false)) == .conditionFailed(current: current))
        #expect(try await store.put([2], forKey: "k", if: .modRevision(7)) == .conditionFailed(current: current))
        let replaced = try await store.put([2], forKey: "k", if: .modRevision(1))  // If-Match: "1"
        #expect(replaced == .stored(created: false, record: KeyRecord(value: [2], createRevision: 1, modRevision: 2, version: 2)))
        #expect(try await store.delete(forKey: "k", if: .modRevision(1)) == .conditionFailed(current: try await store.record(forKey: "k")))
        #expect(try await store.delete(forKey: "k", if: .modRevision(2)) == .deleted(previousModRevision: 2))
        #expect(try await store.delete(forKey: "k") == .absent)
        #expect(try await store.currentRevision() == 3)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentTransactionsEachTakeTheirOwnRevision(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(folder: folder)
        let outcomes = try await withThrowingTaskGroup(of: TransactionOutcome.self) { group in
            for index in 0..<20 {
                group.addTask { try await store.commit(Txn(success: [.put("k\(index)", [UInt8(index)]), .put("shared", [UInt8(index)])])) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(outcomes.map(\.revision)) == Set(1...20))
        #expect(try await store.currentRevision() == 20)
        let shared = try #require(try await store.record(forKey: "shared"))
        #expect(shared.modRevision == 20 && shared.version == 20 && shared.createRevision == 1)
        for outcome in outcomes {
            guard case .put(_, let record) = outcome.results[0] else { Issue.record("no put result"); continue }
            #expect(record.modRevision == outcome.revision && record.createRevision == outcome.revision)
        }
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func aFailingWriteAmongConcurrentOnesTakesNothingFromThem(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        // Room for the small writes, not for the big one (one group commit may hold them all).
        let store = try kind.make(quotaBytes: 1 << 20, folder: folder)
        try await store.setValue([UInt8](repeating: 1, count: 100_000), forKey: "filler")
        let big = [UInt8](repeating: 7, count: 1_000_000)
        let results = await withTaskGroup(of: (Int, Result<TransactionOutcome, StorageError>).self) { group in
            for index in 0..<21 {
                group.addTask {
                    let value: [UInt8] = index == 10 ? big : [UInt8(index)]
                    do throws(StorageError) {
                        return (index, .success(try await store.commit(Txn(success: [.put("shared", [UInt8(index)]), .put("k\(index)", value)]))))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        guard case .failure(let refusal)? = results[10] else { Issue.record("the big write was not refused"); return }
        #expect(refusal.code == .quotaExceeded)
        let revisions = results.filter { $0.key != 10 }.compactMap { try? $0.value.get().revision }
        #expect(revisions.count == 20)
        #expect(Set(revisions) == Set(2...21))
        #expect(try await store.value(forKey: "k10") == nil)
        #expect(try await store.currentRevision() == 21)
        #expect(try await store.record(forKey: "shared")?.version == 20)
        for index in 0..<21 where index != 10 {
            #expect(try await store.value(forKey: "k\(index)") == [UInt8(index)])
        }
        await store.close()
    }
}
