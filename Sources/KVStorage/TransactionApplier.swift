/// Where the applier reads and writes records: an LMDB write transaction or the in-memory map.
///
/// Tables store records as they are, expired or not; the applier decides what is visible.
/// Writes keep the table's expiry index in step with the records' `expiresAtMs`.
protocol RecordTable {
    associatedtype Failure: Error
    /// The stored header of `key`, expired or not.
    mutating func header(_ key: [UInt8]) throws(Failure) -> RecordHeader?
    /// The stored record of `key`, expired or not.
    mutating func record(_ key: [UInt8]) throws(Failure) -> StoredRecord?
    /// Stores `value` under `key` with the header `makeHeader` builds from the stored one (nil
    /// when the key is new to the table); returns the header stored before and the new one.
    mutating func write(
        _ key: [UInt8], _ value: [UInt8], header makeHeader: (RecordHeader?) -> RecordHeader
    ) throws(Failure) -> (old: RecordHeader?, new: RecordHeader)
    /// Removes the stored `key` whose header is `old`.
    mutating func remove(_ key: [UInt8], _ old: RecordHeader) throws(Failure)
    /// Up to `limit` stored keys whose expiry is at or before `nowMs`, earliest first.
    mutating func dueKeys(atMs nowMs: Int64, limit: Int) throws(Failure) -> [([UInt8], RecordHeader)]
}

/// The one implementation of the store's semantics (revisions, compares, branches, expiry),
/// shared by both engines so that they cannot disagree.
///
/// Holds the store revision; each applied transaction that writes advances it by one. On a
/// thrown error the caller discards the table's changes and this applier's revision.
struct TransactionApplier {
    /// The store revision after the last applied transaction.
    private(set) var revision: Int64
    /// The instant expired-ness is judged at: one per commit.
    let nowMs: Int64

    init(revision: Int64, nowMs: Int64) {
        self.revision = revision
        self.nowMs = nowMs
    }

    /// One applied transaction: what the client gets and what watchers get.
    struct Applied {
        var outcome: TransactionOutcome
        var changes: [StorageChange]
    }

    mutating func apply<Table: RecordTable>(_ transaction: StoreTransaction, in table: inout Table) throws(Table.Failure) -> Applied {
        let next = revision + 1
        var succeeded = true
        for comparison in transaction.compare {
            if try !holds(comparison, in: &table) {
                succeeded = false
                break
            }
        }
        let operations = succeeded ? transaction.success : transaction.failure
        var results: [OperationResult] = []
        results.reserveCapacity(operations.count)
        var changes: [StorageChange] = []
        for operation in operations {
            switch operation {
            case .get(let key):
                results.append(.get(try live(Array(key.utf8), in: &table)?.keyRecord))
            case .put(let key, let value, let expiresAt):
                let (created, record) = try store(key, value, expiresAtMs: ExpiryTime.milliseconds(expiresAt), revision: next, in: &table)
                results.append(.put(created: created, record: record))
                changes.append(StorageChange(key: key, kind: .put, record: record, modRevision: next, reason: .write))
            case .delete(let key):
                let previous = try removeLive(key, in: &table)
                results.append(.delete(existed: previous != nil, previousModRevision: previous ?? 0))
                if previous != nil {
                    changes.append(StorageChange(key: key, kind: .delete, record: nil, modRevision: next, reason: .write))
                }
            }
        }
        if !changes.isEmpty { revision = next }
        return Applied(outcome: TransactionOutcome(succeeded: succeeded, revision: revision, results: results), changes: changes)
    }

    /// The fast path of `setValue`: one put in its own revision; returns whether it created the key.
    mutating func put<Table: RecordTable>(
        _ key: String, _ value: [UInt8], expiresAtMs: Int64 = 0, in table: inout Table
    ) throws(Table.Failure) -> (Bool, StorageChange) {
        let next = revision + 1
        let (created, record) = try store(key, value, expiresAtMs: expiresAtMs, revision: next, in: &table)
        revision = next
        return (created, StorageChange(key: key, kind: .put, record: record, modRevision: next, reason: .write))
    }

    /// The fast path of `removeValue`: a delete in its own revision when the key is live.
    mutating func delete<Table: RecordTable>(_ key: String, in table: inout Table) throws(Table.Failure) -> StorageChange? {
        let next = revision + 1
        guard try removeLive(key, in: &table) != nil else { return nil }
        revision = next
        return StorageChange(key: key, kind: .delete, record: nil, modRevision: next, reason: .write)
    }

    /// Deletes up to `limit` expired keys in one revision; one `.expired` delete change each.
    mutating func removeExpired<Table: RecordTable>(limit: Int, in table: inout Table) throws(Table.Failure) -> [StorageChange] {
        guard limit > 0 else { return [] }
        let next = revision + 1
        var changes: [StorageChange] = []
        for (key, header) in try table.dueKeys(atMs: nowMs, limit: limit) {
            try table.remove(key, header)
            changes.append(StorageChange(
                key: String(decoding: key, as: UTF8.self), kind: .delete, record: nil, modRevision: next, reason: .expired))
        }
        if !changes.isEmpty { revision = next }
        return changes
    }

    // MARK: steps

    private func live<Table: RecordTable>(_ key: [UInt8], in table: inout Table) throws(Table.Failure) -> StoredRecord? {
        guard let record = try table.record(key), record.header.isLive(atMs: nowMs) else { return nil }
        return record
    }

    private func holds<Table: RecordTable>(_ comparison: StoreTransaction.Comparison, in table: inout Table) throws(Table.Failure) -> Bool {
        let key = Array(comparison.key.utf8)
        if case .value(let expected) = comparison.target {
            return try live(key, in: &table)?.value == expected
        }
        let stored = try table.header(key)
        let header = stored.flatMap { $0.isLive(atMs: nowMs) ? $0 : nil }
        switch comparison.target {
        case .modRevision(let revision): return (header?.modRevision ?? 0) == revision
        case .createRevision(let revision): return (header?.createRevision ?? 0) == revision
        case .version(let version): return (header?.version ?? 0) == version
        case .exists(let exists): return (header != nil) == exists
        case .value: return false
        }
    }

    /// Stores the value at `revision`: a live key keeps its create revision and counts one more
    /// version; an absent or expired one starts again at version 1.
    private func store<Table: RecordTable>(
        _ key: String, _ value: [UInt8], expiresAtMs: Int64, revision: Int64, in table: inout Table
    ) throws(Table.Failure) -> (Bool, KeyRecord) {
        let nowMs = nowMs
        var created = true
        let (_, header) = try table.write(Array(key.utf8), value) { stored in
            let live = stored.flatMap { $0.isLive(atMs: nowMs) ? $0 : nil }
            created = live == nil
            return RecordHeader(
                createRevision: live?.createRevision ?? revision, modRevision: revision,
                version: (live?.version ?? 0) + 1, expiresAtMs: expiresAtMs)
        }
        return (created, StoredRecord(header: header, value: value).keyRecord)
    }

    /// Removes a live key; returns its last mod revision, nil when absent or expired (an expired
    /// key is left for the sweeper, which reports it as expired).
    private func removeLive<Table: RecordTable>(_ key: String, in table: inout Table) throws(Table.Failure) -> Int64? {
        let keyBytes = Array(key.utf8)
        guard let header = try table.header(keyBytes), header.isLive(atMs: nowMs) else { return nil }
        try table.remove(keyBytes, header)
        return header.modRevision
    }
}
