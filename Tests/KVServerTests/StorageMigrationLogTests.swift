import Foundation
import Testing
import KVTestSupport
@testable import KVServer
@testable import KVStorage

/// Opening a data folder of the previous layout migrates it and logs one line.
@Suite struct StorageMigrationLogTests {
    @Test func anOldLayoutFolderIsMigratedAndLoggedOnce() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder)
        // Layout 1 (releases before revisions): raw key → raw value, no layout marker.
        try FileManager.default.createDirectory(atPath: configuration.storage.path, withIntermediateDirectories: true)
        let environment = try LMDBEnvironment(path: configuration.storage.path, initialMapSize: 64 << 20, durability: .always)
        try environment.withWriteTransaction { txn throws(LMDBFailure) in
            try txn.put(Array("a".utf8), [1, 2])
            try txn.put(Array("b".utf8), [3])
        }
        environment.close()

        let lines = CapturedLines()
        let store = try makeStore(configuration: configuration, metrics: nil, logger: testLogger(level: .info, capture: lines)).store
        #expect(try await store.value(forKey: "a") == [1, 2])
        #expect(try await store.record(forKey: "b")?.modRevision == 1)
        await store.close()
        #expect(lines.all.filter { $0.contains("migrated 2 keys to layout 2") }.count == 1)

        let quiet = CapturedLines()
        let reopened = try makeStore(configuration: configuration, metrics: nil, logger: testLogger(level: .info, capture: quiet)).store
        await reopened.close()
        #expect(!quiet.all.contains { $0.contains("migrated") })
    }
}
