import Foundation
import Synchronization
import Testing
import KVTestSupport
@testable import KVStorage

/// The stores every conformance test runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case lmdb, memory
    var testDescription: String { rawValue }

    func make(
        maxValueBytes: Int = 1 << 20, quotaBytes: Int = 8 << 30, folder: TemporaryFolder,
        observer: (any StorageObserver)? = nil, clock: TestTime? = nil
    ) throws -> any KeyValueStore {
        let now: @Sendable () -> Date
        if let clock { now = { clock.now } } else { now = { Date() } }
        switch self {
        case .lmdb:
            return try LMDBStore(
                options: .init(path: folder.path, maxValueBytes: maxValueBytes, quotaBytes: quotaBytes), observer: observer, now: now)
        case .memory:
            return InMemoryStore(maxValueBytes: maxValueBytes, quotaBytes: quotaBytes, observer: observer, now: now)
        }
    }
}

/// A wall clock the test moves by hand (expiry is judged against it).
final class TestTime: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 += seconds } }
}

/// Records every committed revision's changes, in the order the store reported them.
final class ChangeRecorder: StorageObserver, Sendable {
    private let recorded = Mutex<[[StorageChange]]>([])
    private let migrations = Mutex<[LayoutMigration]>([])
    var commits: [[StorageChange]] { recorded.withLock { $0 } }
    var changes: [StorageChange] { commits.flatMap { $0 } }
    var migrated: [LayoutMigration] { migrations.withLock { $0 } }

    func storageDidPerform(_ operation: StorageOperation, key: String?, seconds: Double, batchSize: Int, error: StorageError?) {}
    func storageDidCommit(_ changes: [StorageChange]) { recorded.withLock { $0.append(changes) } }
    func storageDidMigrateLayout(_ migration: LayoutMigration) { migrations.withLock { $0.append(migration) } }
}
