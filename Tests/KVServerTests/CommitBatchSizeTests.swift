import Foundation
import KVMonitoring
import KVStorage
import KVTestSupport
import Testing
@testable import KVServer

/// `kvstore_storage_commit_batch_size`: one observation per storage transaction, its value the
/// writes that transaction committed together.
@Suite struct CommitBatchSizeTests {
    @Test func everyCommittedWriteIsCountedInTheBatchThatCarriedIt() async throws {
        let folder = TemporaryFolder()
        let registry = MetricsRegistry()
        let observer = try StorageMetricsObserver(registry: registry, durationBuckets: [0.1, 1])
        let store = try LMDBStore(options: .init(path: folder.path), observer: observer)
        func samples() -> [String: Double] { parseExposition(ExpositionFormat.prometheusText.render(registry.snapshot())) }

        for index in 0..<3 { _ = try await store.setValue(Array("v\(index)".utf8), forKey: "key\(index)") }
        var now = samples()
        // One writer at a time: three transactions of one write each.
        #expect(now["kvstore_storage_commit_batch_size_count"] == 3)
        #expect(now["kvstore_storage_commit_batch_size_sum"] == 3)
        #expect(now["kvstore_storage_commit_batch_size_bucket{le=\"1\"}"] == 3)

        // 64 writers at once: every write is in exactly one batch, however they were grouped.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<64 {
                group.addTask { _ = try await store.setValue([1], forKey: "many\(index)") }
            }
            try await group.waitForAll()
        }
        now = samples()
        #expect(now["kvstore_storage_commit_batch_size_sum"] == 67)
        let commits = try #require(now["kvstore_storage_commit_batch_size_count"])
        #expect(commits > 3 && commits <= 67)
        #expect(now["kvstore_storage_commit_batch_size_bucket{le=\"+Inf\"}"] == commits)
        await store.close()
    }
}
