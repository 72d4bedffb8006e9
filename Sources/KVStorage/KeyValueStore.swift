/// A durable map from UTF-8 string keys to byte values.
///
/// Reads are synchronous and cheap; writes are asynchronous because a durable write waits
/// for its commit. Keys are compared and stored byte-exactly (no Unicode normalisation).
public protocol KeyValueStore: Sendable {
    /// The stored bytes for `key`, or nil when absent.
    func value(forKey key: String) throws(StorageError) -> [UInt8]?
    /// Stores `value` under `key`; returns true when the key was created, false when replaced.
    @discardableResult
    func setValue(_ value: [UInt8], forKey key: String) async throws(StorageError) -> Bool
    /// Removes `key`; returns true when it existed.
    @discardableResult
    func removeValue(forKey key: String) async throws(StorageError) -> Bool
    /// Keys in byte order that start with `prefix` and sort after `after`, at most `limit`.
    func keys(prefix: String, after: String?, limit: Int) throws(StorageError) -> KeyPage
    /// Writes, reads back and deletes a private record in one durable commit, outside the user
    /// key space: the storage health check. Leaves no trace in keys, entries or counters.
    func probe() async throws(StorageError)
    /// Opens a read transaction and reads from it: the liveness check (no write, no fsync).
    func readProbe() throws(StorageError)
    /// The failure that made the store read-only until restart; nil while writes are accepted.
    var readOnlyReason: StorageError? { get }
    /// Engine statistics.
    func statistics() throws(StorageError) -> StorageStatistics
    /// Flushes and releases the store; later calls fail with `StorageError.closed`.
    func close() async
}

extension KeyValueStore {
    public var readOnlyReason: StorageError? { nil }
}

/// One page of a key listing.
public struct KeyPage: Sendable, Equatable {
    /// A key and the size of its value.
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var bytes: Int
        public init(key: String, bytes: Int) {
            self.key = key
            self.bytes = bytes
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
