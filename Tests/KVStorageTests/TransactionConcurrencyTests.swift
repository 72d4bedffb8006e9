import Foundation
import Synchronization
import Testing
import KVTestSupport
@testable import KVStorage

/// Serializability under concurrent clients, on every store.
@Suite struct TransactionConcurrencyTests {
    typealias Txn = StoreTransaction

    @Test(arguments: StoreKind.allCases)
    func compareAndSwapIncrementsLoseNothing(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(folder: folder)
        try await store.setValue(Array("0".utf8), forKey: "counter")
        let (tasks, increments) = (8, 15)
        let retries = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    var done = 0
                    var failed = 0
                    while done < increments {
                        let current = try #require(try await store.record(forKey: "counter"))
                        let next = Int(String(decoding: current.value, as: UTF8.self))! + 1
                        let outcome = try await store.commit(Txn(
                            compare: [.init(key: "counter", .modRevision(current.modRevision))],
                            success: [.put("counter", Array("\(next)".utf8))]))
                        if outcome.succeeded { done += 1 } else { failed += 1 }
                    }
                    return failed
                }
            }
            return try await group.reduce(0, +)
        }
        let final = try #require(try await store.record(forKey: "counter"))
        #expect(String(decoding: final.value, as: UTF8.self) == "\(tasks * increments)")
        #expect(final.version == Int64(tasks * increments + 1))
        #expect(try await store.currentRevision() == Int64(tasks * increments + 1))
        #expect(retries >= 0)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func aMovedTokenIsNeverSeenTwiceOrNotAtAll(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(folder: folder)
        try await store.setValue([1], forKey: "left")
        let moving = Flag()
        let observations = try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                defer { moving.value.store(false, ordering: .releasing) }
                for _ in 0..<100 {
                    _ = try await store.commit(Txn(
                        compare: [.init(key: "left", .exists(true))],
                        success: [.delete("left"), .put("right", [1])],
                        failure: [.delete("right"), .put("left", [1])]))
                }
                return 0
            }
            for _ in 0..<3 {
                group.addTask {
                    var seen = 0
                    repeat {
                        let outcome = try await store.commit(Txn(success: [.get("left"), .get("right")]))
                        let present = outcome.results.filter { $0 != .get(nil) }.count
                        #expect(present == 1, "saw \(present) tokens")
                        seen += 1
                    } while moving.value.load(ordering: .acquiring)
                    return seen
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(observations >= 3)
        #expect(try await store.value(forKey: "left") == [1])   // 100 moves: back where it started
        #expect(try await store.value(forKey: "right") == nil)
        await store.close()
    }
}

/// A flag shared by test tasks.
private final class Flag: Sendable {
    let value = Atomic<Bool>(true)
}
