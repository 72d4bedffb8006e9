import Foundation

/// A durable map from UTF-8 string keys to byte values, with etcd's revisions.
///
/// Reads and writes are asynchronous: a shared engine (PostgreSQL) answers over the network,
/// and a durable write waits for its commit; the local engines (LMDB, memory) answer reads at once.
/// Keys are compared and stored byte-exactly (no Unicode normalisation).
/// The store keeps one revision counter: every committed write takes the next revision, and
/// each key carries create and mod revisions and a version (see `KeyRecord`). A key whose
/// expiry has passed is absent to every read, compare and write, even before it is swept.
public protocol KeyValueStore: Sendable {
    /// The stored bytes for `key`, or nil when absent or expired.
    func value(forKey key: String) async throws(StorageError) -> [UInt8]?
    /// The record of `key` (value, revisions, expiry), or nil when absent or expired.
    func record(forKey key: String) async throws(StorageError) -> KeyRecord?
    /// The record of `key` and the store revision, read together (the revision is at least the
    /// record's mod revision): what a `GET` answers.
    func recordAndRevision(forKey key: String) async throws(StorageError) -> (record: KeyRecord?, revision: Int64)
    /// The store revision: that of the last committed write (0 in a new store).
    func currentRevision() async throws(StorageError) -> Int64
    /// Runs `transaction` (compares, then one branch) in one serializable write transaction;
    /// see `StoreTransaction`. Validates every key and value of both branches first.
    func commit(_ transaction: StoreTransaction) async throws(StorageError) -> TransactionOutcome
    /// Deletes up to `limit` expired keys (earliest expiry first) in one commit and one revision,
    /// each reported as a delete with reason `.expired`; returns how many it deleted.
    func removeExpired(limit: Int) async throws(StorageError) -> Int
    /// Stores `value` under `key` in its own revision, without expiry; returns true when the
    /// key was created, false when replaced.
    @discardableResult
    func setValue(_ value: [UInt8], forKey key: String) async throws(StorageError) -> Bool
    /// `setValue` with an expiry (nil: never), answering the record as stored (its new revisions):
    /// the fast path of an unconditional HTTP `PUT`, without building a transaction.
    func setValue(_ value: [UInt8], forKey key: String, expiresAt: Date?) async throws(StorageError) -> (created: Bool, record: KeyRecord)
    /// `removeValue` answering the revision of the delete; nil when no live key existed.
    func deleteValue(forKey key: String) async throws(StorageError) -> Int64?
    /// Removes `key` in its own revision; returns true when a live key existed (an expired one
    /// is left for `removeExpired`, which reports it as expired).
    @discardableResult
    func removeValue(forKey key: String) async throws(StorageError) -> Bool
    /// Live keys in byte order that start with `prefix` and sort after `after`, at most `limit`.
    func keys(prefix: String, after: String?, limit: Int) async throws(StorageError) -> KeyPage
    /// Writes, reads back and deletes a private record in one durable commit, outside the user
    /// key space: the storage health check. Leaves no trace in keys, entries or counters.
    func probe() async throws(StorageError)
    /// Opens a read transaction and reads from it: the liveness check (no write, no fsync). A shared
    /// engine checks only the process side (a database outage fails readiness, not liveness).
    func readProbe() throws(StorageError)
    /// The failure that made the store read-only until restart; nil while writes are accepted.
    var readOnlyReason: StorageError? { get }
    /// Engine statistics (a shared engine answers the figures of its last refresh, never waiting on the network).
    func statistics() throws(StorageError) -> StorageStatistics
    /// Flushes and releases the store; later calls fail with `StorageError.closed`.
    func close() async
}

extension KeyValueStore {
    public var readOnlyReason: StorageError? { nil }

    @discardableResult
    public func setValue(_ value: [UInt8], forKey key: String) async throws(StorageError) -> Bool {
        try await setValue(value, forKey: key, expiresAt: nil).created
    }

    @discardableResult
    public func removeValue(forKey key: String) async throws(StorageError) -> Bool {
        try await deleteValue(forKey: key) != nil
    }

    /// The record, then the revision, in two reads (a local store answers both at once).
    public func recordAndRevision(forKey key: String) async throws(StorageError) -> (record: KeyRecord?, revision: Int64) {
        let record = try await record(forKey: key)
        return (record, try await currentRevision())
    }
}

/// One page of a key listing.
public struct KeyPage: Sendable, Equatable {
    /// A key, the size of its value, its revisions and its expiry.
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var bytes: Int
        public var createRevision: Int64
        public var modRevision: Int64
        public var version: Int64
        public var expiresAt: Date?
        public init(key: String, bytes: Int, createRevision: Int64 = 0, modRevision: Int64 = 0, version: Int64 = 0, expiresAt: Date? = nil) {
            self.key = key
            self.bytes = bytes
            self.createRevision = createRevision
            self.modRevision = modRevision
            self.version = version
            self.expiresAt = expiresAt
        }
    }
    public var entries: [Entry]
    /// The cursor for the next page (the last key of this page), nil when this is the last page.
    public var next: String?
    public init(entries: [Entry], next: String?) {
        self.entries = entries
        self.next = next
    }
}
