/// The kinds of work a store reports to its observer.
public enum StorageOperation: String, Sendable, CaseIterable {
    case get, put, delete, list, commit
}

/// Receives one call per storage operation (for metrics and database logging).
///
/// Called on the thread that did the work, so implementations must be cheap and non-blocking.
public protocol StorageObserver: Sendable {
    /// `seconds` is the operation's duration; `batchSize` is the number of writes in a commit (1 otherwise).
    func storageDidPerform(_ operation: StorageOperation, key: String?, seconds: Double, batchSize: Int, error: StorageError?)
    /// One storage transaction committed `writes` queued writes together (group commit; with
    /// durability `always`, one fsync covers them). Not called for failed transactions.
    func storageDidCommitBatch(writes: Int)
    /// Called once, when a failed commit, sync or map resize makes the store read-only until restart.
    func storageDidBecomeReadOnly(_ error: StorageError)
    /// The changes of one committed revision, once the commit is acknowledged (durable per the
    /// durability mode): called once per revision, in increasing revision order, never for
    /// failed or read-only transactions. Called from the writer (LMDB) or under the store's lock
    /// (memory): keep it cheap and never call back into the store.
    func storageDidCommit(_ changes: [StorageChange])
    /// Called once at open when the data folder was migrated to a new on-disk layout.
    func storageDidMigrateLayout(_ migration: LayoutMigration)
    /// A shared store's change feed (re)starts at `revision` without the changes before it: at
    /// connect, or after the database's change log dropped revisions this node had not read.
    /// Watchers of older revisions must re-list. Local stores never call it.
    func storageFeedDidRestart(atRevision revision: Int64)
    /// A shared store's call to its database: the wait for a connection, the time on it, how it ended.
    func storageDidCallDatabase(_ call: DatabaseCall)
    /// A shared store's connections in use by an operation, whenever the count changes.
    func storageConnectionsInUse(_ count: Int)
}

/// One call of a shared store to its database, as the observer sees it.
public struct DatabaseCall: Sendable, Equatable {
    public enum Operation: String, Sendable, CaseIterable {
        case get, list, revision, put, delete, commit, sweep, probe, feed, heartbeat, members

        init(_ operation: StorageOperation) {
            switch operation {
            case .get: self = .get
            case .put: self = .put
            case .delete: self = .delete
            case .list: self = .list
            case .commit: self = .commit
            }
        }
    }
    public var operation: Operation
    /// Seconds until a connection was leased (finding the writable server included).
    public var waitSeconds: Double
    /// Seconds on the connection, statements and `COMMIT`; 0 when none was leased.
    public var seconds: Double
    /// Why it failed; nil when it did not.
    public var failure: StorageError?
}

extension StorageObserver {
    public func storageDidBecomeReadOnly(_ error: StorageError) {}
    public func storageDidCommitBatch(writes: Int) {}
    public func storageDidCommit(_ changes: [StorageChange]) {}
    public func storageDidMigrateLayout(_ migration: LayoutMigration) {}
    public func storageFeedDidRestart(atRevision revision: Int64) {}
    public func storageDidCallDatabase(_ call: DatabaseCall) {}
    public func storageConnectionsInUse(_ count: Int) {}
}

/// Monotonic seconds for timing storage work.
@inline(__always)
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
