import Foundation
import Testing
import KVTestSupport
@testable import KVStorage

/// One suite, run against every `KeyValueStore` implementation.
@Suite struct KeyValueStoreConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func missingKeyReturnsNil(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(folder: folder)
        #expect(try await store.value(forKey: "absent") == nil)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func putThenGetReturnsExactBytes(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(folder: folder)
        let bytes: [UInt8] = [0, 1, 2, 255, 0, 10, 13]
        #expect(try await store.setValue(bytes, forKey: "k") == true)
        #expect(try await store.value(forKey: "k") == bytes)
        #expect(try await store.setValue([], forKey: "k") == false)
        #expect(try await store.value(forKey: "k") == [])
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func deleteReportsWhetherKeyExisted(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(folder: folder)
        try await store.setValue([1], forKey: "a")
        #expect(try await store.removeValue(forKey: "a") == true)
        #expect(try await store.removeValue(forKey: "a") == false)
        #expect(try await store.value(forKey: "a") == nil)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func keysAreByteExactWithoutNormalisation(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(folder: folder)
        let composed = "caf\u{E9}"          // é as one scalar
        let decomposed = "cafe\u{301}"      // e + combining acute
        try await store.setValue([1], forKey: composed)
        try await store.setValue([2], forKey: decomposed)
        try await store.setValue([3], forKey: "a/b")
        try await store.setValue([4], forKey: "a")
        #expect(try await store.value(forKey: composed) == [1])
        #expect(try await store.value(forKey: decomposed) == [2])
        #expect(try await store.value(forKey: "a/b") == [3])
        #expect(try await store.value(forKey: "a/") == nil)
        #expect(try await store.value(forKey: "a//b") == nil)
        #expect(try store.statistics().entries == 4)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases, [0, 511])
    func keyLengthLimits(kind: StoreKind, length: Int) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(folder: folder)
        let key = String(repeating: "k", count: length)
        if length == 0 {
            await #expect(throws: StorageError.self) { try await store.setValue([1], forKey: key) }
        } else {
            try await store.setValue([1], forKey: key)
            #expect(try await store.value(forKey: key) == [1])
            let tooLong = key + "k"
            let error = await #expect(throws: StorageError.self) { try await store.setValue([1], forKey: tooLong) }
            #expect(error?.code == .invalidKey)
        }
        await store.close()
    }

    @Test(arguments: StoreKind.allCases, ["\u{0}", "a\u{1}b", ".", ".."])
    func invalidKeysAreRejected(kind: StoreKind, key: String) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(folder: folder)
        let error = await #expect(throws: StorageError.self) { try await store.setValue([1], forKey: key) }
        #expect(error?.code == .invalidKey)
        await #expect(throws: StorageError.self) { try await store.value(forKey: key) }
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func valueAtLimitIsStoredAndOverLimitRefused(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(maxValueBytes: 1000, folder: folder)
        try await store.setValue(Array(repeating: 7, count: 1000), forKey: "max")
        #expect(try await store.value(forKey: "max")?.count == 1000)
        let error = await #expect(throws: StorageError.self) {
            try await store.setValue(Array(repeating: 7, count: 1001), forKey: "over")
        }
        #expect(error?.code == .valueTooLarge)
        #expect(try await store.value(forKey: "over") == nil)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func listingPagesInByteOrderWithPrefixAndCursor(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(folder: folder)
        for key in ["b/2", "a", "b/1", "b/10", "c", "b/3"] {
            try await store.setValue(Array(key.utf8), forKey: key)
        }
        let first = try await store.keys(prefix: "b/", after: nil, limit: 2)
        #expect(first.entries.map(\.key) == ["b/1", "b/10"])
        #expect(first.entries.map(\.bytes) == [3, 4])
        #expect(first.next == "b/10")
        let second = try await store.keys(prefix: "b/", after: first.next, limit: 2)
        #expect(second.entries.map(\.key) == ["b/2", "b/3"])
        #expect(second.next == nil)
        let all = try await store.keys(prefix: "", after: nil, limit: 100)
        #expect(all.entries.map(\.key) == ["a", "b/1", "b/10", "b/2", "b/3", "c"])
        let afterA = try await store.keys(prefix: "", after: "a", limit: 1)
        #expect(afterA.entries.map(\.key) == ["b/1"])
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func quotaRefusesWritesButAllowsReadsAndDeletes(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(maxValueBytes: 64 << 10, quotaBytes: 1 << 20, folder: folder)
        var written: [String] = []
        var refusal: StorageError?
        let value = Array(repeating: UInt8(42), count: 60 << 10)
        for index in 0..<200 {
            do {
                try await store.setValue(value, forKey: "key-\(index)")
                written.append("key-\(index)")
            } catch {
                refusal = error
                break
            }
        }
        #expect(refusal?.code == .quotaExceeded)
        #expect(!written.isEmpty)
        #expect(try await store.value(forKey: written[0]) == value)
        #expect(try await store.removeValue(forKey: written[0]) == true)
        #expect(try await store.value(forKey: written[0]) == nil)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentWritersAllLand(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(folder: folder)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<16 {
                group.addTask {
                    for index in 0..<50 {
                        try await store.setValue(Array("\(writer)-\(index)".utf8), forKey: "w\(writer)/\(index)")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try store.statistics().entries == 800)
        #expect(try await store.value(forKey: "w7/42") == Array("7-42".utf8))
        #expect(try store.statistics().puts == 800)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func probeLeavesNoTrace(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(folder: folder)
        try await store.setValue([1], forKey: "a")
        let before = try store.statistics()
        try await store.probe()
        let after = try store.statistics()
        #expect(after.entries == before.entries)
        #expect(after.puts == before.puts && after.deletes == before.deletes && after.gets == before.gets)
        #expect(try await store.keys(prefix: "", after: nil, limit: 10).entries.map(\.key) == ["a"])
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func closedStoreRefusesWork(kind: StoreKind) async throws {
        let folder = TemporaryFolder()
        let store = try kind.make(folder: folder)
        await store.close()
        let error = await #expect(throws: StorageError.self) { try await store.setValue([1], forKey: "x") }
        #expect(error?.code == .closed)
    }
}
