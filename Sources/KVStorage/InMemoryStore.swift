import Foundation
import Synchronization

/// A store that keeps everything in memory: for tests, caches and development.
///
/// Same key rules, value limit, quota (keys + values bytes), revisions, transactions and expiry
/// as `LMDBStore` (both apply writes through `TransactionApplier`); nothing survives a restart.
/// Writes are serialized by one lock; change events are reported under it, in revision order.
public final class InMemoryStore: KeyValueStore {
    private struct State {
        var table: MemoryRecordTable
        var revision: Int64 = 0
        var closed = false
    }
    private let state: Mutex<State>
    private let counters = OperationCounters()
    private let maxValueBytes: Int
    private let quotaBytes: Int
    private let observer: (any StorageObserver)?
    private let now: @Sendable () -> Date

    /// `now` is the clock that decides expiry (tests inject one).
    public init(
        maxValueBytes: Int = 1 << 20, quotaBytes: Int = 8 << 30, observer: (any StorageObserver)? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.maxValueBytes = maxValueBytes
        self.quotaBytes = quotaBytes
        self.observer = observer
        self.now = now
        state = Mutex(State(table: MemoryRecordTable(quotaBytes: quotaBytes)))
    }

    public func value(forKey key: String) throws(StorageError) -> [UInt8]? {
        try read(key)?.value
    }

    public func record(forKey key: String) throws(StorageError) -> KeyRecord? {
        try read(key)?.keyRecord
    }

    private func read(_ key: String) throws(StorageError) -> StoredRecord? {
        try KeyRules.validate(key)
        let start = monotonicSeconds()
        let nowMs = ExpiryTime.now(now)
        let result = try state.withLock { state throws(StorageError) -> StoredRecord? in
            if state.closed { throw StorageError.closed }
            return state.table.record(Array(key.utf8))
        }
        counters.gets.add(1, ordering: .relaxed)
        observer?.storageDidPerform(.get, key: key, seconds: monotonicSeconds() - start, batchSize: 1, error: nil)
        guard let result, result.header.isLive(atMs: nowMs) else { return nil }
        return result
    }

    public func currentRevision() throws(StorageError) -> Int64 {
        try state.withLock { state throws(StorageError) in
            if state.closed { throw StorageError.closed }
            return state.revision
        }
    }

    public func setValue(_ value: [UInt8], forKey key: String, expiresAt: Date?) async throws(StorageError) -> (created: Bool, record: KeyRecord) {
        try KeyRules.validate(key)
        try TransactionValidation.validateSize(value, maxValueBytes: maxValueBytes)
        let start = monotonicSeconds()
        let expiresAtMs = ExpiryTime.milliseconds(expiresAt)
        let stored = try write { applier, table throws(StorageError) -> ((Bool, KeyRecord?), [StorageChange]) in
            let (created, change) = try applier.put(key, value, expiresAtMs: expiresAtMs, in: &table)
            return ((created, change.record), [change])
        }
        counters.puts.add(1, ordering: .relaxed)
        counters.commits.add(1, ordering: .relaxed)
        observer?.storageDidPerform(.put, key: key, seconds: monotonicSeconds() - start, batchSize: 1, error: nil)
        guard let record = stored.1 else { throw StorageError(.io, "a put stored no record") }
        return (stored.0, record)
    }

    public func deleteValue(forKey key: String) async throws(StorageError) -> Int64? {
        try KeyRules.validate(key)
        let start = monotonicSeconds()
        let revision = try write { applier, table throws(StorageError) -> (Int64?, [StorageChange]) in
            let change = try applier.delete(key, in: &table)
            return (change?.modRevision, change.map { [$0] } ?? [])
        }
        counters.deletes.add(1, ordering: .relaxed)
        observer?.storageDidPerform(.delete, key: key, seconds: monotonicSeconds() - start, batchSize: 1, error: nil)
        return revision
    }

    public func commit(_ transaction: StoreTransaction) async throws(StorageError) -> TransactionOutcome {
        try TransactionValidation.validate(transaction, maxValueBytes: maxValueBytes)
        let outcome = try write { applier, table throws(StorageError) in
            let applied = try applier.apply(transaction, in: &table)
            return (applied.outcome, applied.changes)
        }
        counters.count(outcome)
        return outcome
    }

    public func removeExpired(limit: Int) async throws(StorageError) -> Int {
        let removed = try write { applier, table throws(StorageError) in
            let changes = try applier.removeExpired(limit: limit, in: &table)
            return (changes.count, changes)
        }
        counters.expired.add(removed, ordering: .relaxed)
        return removed
    }

    /// Applies `body` under the lock, all-or-nothing, and reports its changes (one revision).
    private func write<T>(
        _ body: (inout TransactionApplier, inout MemoryRecordTable) throws(StorageError) -> (T, [StorageChange])
    ) throws(StorageError) -> T {
        let nowMs = ExpiryTime.now(now)
        let observer = observer
        return try state.withLock { state throws(StorageError) -> T in
            if state.closed { throw StorageError.closed }
            var applier = TransactionApplier(revision: state.revision, nowMs: nowMs)
            do throws(StorageError) {
                let (result, changes) = try body(&applier, &state.table)
                state.table.keepChanges()
                state.revision = applier.revision
                if !changes.isEmpty { observer?.storageDidCommit(changes) }
                return result
            } catch {
                state.table.rollBack()
                throw error
            }
        }
    }

    public func keys(prefix: String, after: String?, limit: Int) throws(StorageError) -> KeyPage {
        let start = monotonicSeconds()
        let prefixBytes = Array(prefix.utf8)
        let afterBytes = after.map { Array($0.utf8) }
        let nowMs = ExpiryTime.now(now)
        let matching = try state.withLock { state throws(StorageError) -> [([UInt8], StoredRecord)] in
            if state.closed { throw StorageError.closed }
            return state.table.records.compactMap { key, record in
                guard key.starts(with: prefixBytes), record.header.isLive(atMs: nowMs) else { return nil }
                if let afterBytes, !afterBytes.lexicographicallyPrecedes(key) { return nil }
                return (key, record)
            }
        }
        let sorted = matching.sorted { $0.0.lexicographicallyPrecedes($1.0) }
        let page = sorted.prefix(max(0, limit)).map { key, record in
            KeyPage.Entry(
                key: String(decoding: key, as: UTF8.self), bytes: record.value.count,
                createRevision: record.header.createRevision, modRevision: record.header.modRevision,
                version: record.header.version, expiresAt: ExpiryTime.date(record.header.expiresAtMs))
        }
        observer?.storageDidPerform(.list, key: nil, seconds: monotonicSeconds() - start, batchSize: 1, error: nil)
        return KeyPage(entries: page, next: sorted.count > page.count ? page.last?.key : nil)
    }

    public func probe() async throws(StorageError) {
        try state.withLock { state throws(StorageError) in
            if state.closed { throw StorageError.closed }
        }
    }

    public func readProbe() throws(StorageError) {
        try state.withLock { state throws(StorageError) in
            if state.closed { throw StorageError.closed }
        }
    }

    public func statistics() throws(StorageError) -> StorageStatistics {
        let (entries, bytes) = try state.withLock { state throws(StorageError) in
            if state.closed { throw StorageError.closed }
            return (state.table.records.count, state.table.bytes)
        }
        return StorageStatistics(
            engine: "memory", entries: entries, bytesOnDisk: 0, bytesInUse: bytes, mapSizeBytes: 0,
            quotaBytes: quotaBytes, pageSize: 0, durability: "none",
            gets: counters.gets.load(ordering: .relaxed), puts: counters.puts.load(ordering: .relaxed),
            deletes: counters.deletes.load(ordering: .relaxed), commits: counters.commits.load(ordering: .relaxed),
            expiredKeysRemoved: counters.expired.load(ordering: .relaxed))
    }

    public func close() async {
        state.withLock { $0.closed = true }
    }
}
