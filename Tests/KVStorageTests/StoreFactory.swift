import Foundation
import Synchronization
import Testing
import KVTestSupport
@testable import KVStorage

/// The stores every conformance test runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case lmdb, memory, postgres
    var testDescription: String { rawValue }

    /// The engines here: `postgres` when `KVSTORE_TEST_POSTGRES_URL` names a database (`make test`
    /// starts one and sets it; `PostgresTestDatabase.requiredButMissing` fails the run without it).
    static var allCases: [StoreKind] {
        PostgresTestDatabase.options == nil ? [.lmdb, .memory] : [.lmdb, .memory, .postgres]
    }

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
        case .postgres:
            guard var options = PostgresTestDatabase.options else { throw PostgresTestDatabase.Missing() }
            // A schema of its own per store: tests run in parallel on one database.
            options.schema = PostgresTestDatabase.freshSchema()
            options.maxValueBytes = maxValueBytes
            options.quotaBytes = quotaBytes
            return PostgresStore(options: options, observer: observer, now: now)
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

/// The PostgreSQL the tests use, from `KVSTORE_TEST_POSTGRES_URL` (`postgres://user:password@host:port/database`).
enum PostgresTestDatabase {
    struct Missing: Error, CustomStringConvertible {
        var description: String { "KVSTORE_TEST_POSTGRES_URL is not set (make test starts a database and sets it)" }
    }

    static let options: PostgresOptions? = {
        guard let text = ProcessInfo.processInfo.environment["KVSTORE_TEST_POSTGRES_URL"], !text.isEmpty,
              let url = URLComponents(string: text), let host = url.host
        else { return nil }
        return PostgresOptions(
            hosts: [.init(host: host, port: url.port ?? 5432)],
            database: String(url.path.drop(while: { $0 == "/" })), user: url.user ?? "kvstore", password: url.password,
            // Two connections a store: the tests open dozens of stores at once; generous timeouts, as the
            // whole suite runs in parallel on two cores.
            poolSize: 2, connectTimeout: 10, statementTimeout: 30, tls: .disable, pollInterval: 0.05, nodeID: "test")
    }()

    /// Whether the run promised a database (`KVSTORE_TEST_REQUIRE_POSTGRES=1`, as `make test` sets) and has none.
    static var requiredButMissing: Bool {
        ProcessInfo.processInfo.environment["KVSTORE_TEST_REQUIRE_POSTGRES"] == "1" && options == nil
    }

    static func freshSchema() -> String {
        "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
    }
}
