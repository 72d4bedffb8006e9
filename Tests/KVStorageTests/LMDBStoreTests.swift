import Foundation
import Testing
import KVTestSupport
@testable import KVStorage

@Suite struct LMDBStoreTests {
    @Test func dataSurvivesReopen() async throws {
        let folder = TemporaryFolder()
        let store = try LMDBStore(options: .init(path: folder.path))
        try await store.setValue([9, 8, 7], forKey: "persisted")
        await store.close()
        let reopened = try LMDBStore(options: .init(path: folder.path))
        #expect(try await reopened.value(forKey: "persisted") == [9, 8, 7])
        await reopened.close()
    }

    @Test func samePathCannotBeOpenedTwiceInOneProcess() async throws {
        let folder = TemporaryFolder()
        let store = try LMDBStore(options: .init(path: folder.path))
        #expect(throws: StorageError.self) { try LMDBStore(options: .init(path: folder.path)) }
        await store.close()
    }

    @Test func mapGrowsBeyondItsInitialSize() async throws {
        let folder = TemporaryFolder()
        let store = try LMDBStore(options: .init(path: folder.path, durability: .none, maxValueBytes: 1 << 20, quotaBytes: 512 << 20))
        let initial = try store.statistics().mapSizeBytes
        let value = Array(repeating: UInt8(1), count: 1 << 20)
        for index in 0..<80 { try await store.setValue(value, forKey: "big-\(index)") }
        let stats = try store.statistics()
        #expect(initial == 64 << 20)
        #expect(stats.mapSizeBytes > initial)
        #expect(stats.mapSizeBytes <= 512 << 20)
        #expect(stats.entries == 80)
        await store.close()
    }

    @Test func statisticsDescribeTheEngine() async throws {
        let folder = TemporaryFolder()
        let store = try LMDBStore(options: .init(path: folder.path, durability: .batched, syncInterval: 0.05))
        try await store.setValue([1, 2], forKey: "a")
        _ = try await store.value(forKey: "a")
        try await store.removeValue(forKey: "a")
        let stats = try store.statistics()
        #expect(stats.engine == "lmdb")
        #expect(stats.durability == "batched")
        #expect(stats.pageSize == Int(sysconf(Int32(_SC_PAGESIZE))))
        #expect(stats.gets == 1 && stats.puts == 1 && stats.deletes == 1)
        #expect(stats.bytesOnDisk > 0)
        #expect(stats.commits >= 1)
        await store.close()
    }

    @Test func deleteFreesSpaceWhenTheDataExceedsALoweredQuota() async throws {
        let folder = TemporaryFolder()
        let value = Array(repeating: UInt8(7), count: 1 << 20)
        let large = try LMDBStore(options: .init(path: folder.path, durability: .none, quotaBytes: 256 << 20))
        for index in 0..<6 { try await large.setValue(value, forKey: "big-\(index)") }
        await large.close()

        // Reopened with a quota far below the 6 MiB in use: the map is exactly the used size.
        let small = try LMDBStore(options: .init(path: folder.path, durability: .none, quotaBytes: 2 << 20))
        let refusal = await #expect(throws: StorageError.self) { try await small.setValue(value, forKey: "one-more") }
        #expect(refusal?.code == .quotaExceeded)
        #expect(try await small.removeValue(forKey: "big-0"))
        #expect(try await small.value(forKey: "big-0") == nil)
        #expect(try small.statistics().entries == 5)
        await small.close()
    }

    @Test func livenessReadProbeNeedsNoWrite() async throws {
        let folder = TemporaryFolder()
        let store = try LMDBStore(options: .init(path: folder.path))
        try store.readProbe()
        #expect(store.readOnlyReason == nil)
        #expect(try store.statistics().commits == 0)
        await store.close()
        #expect(throws: StorageError.closed) { try store.readProbe() }
    }
}
