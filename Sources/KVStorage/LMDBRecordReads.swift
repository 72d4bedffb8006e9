import Foundation

/// The reads of layout 2 (see `LMDBLayout`) inside one read transaction. Expired records are
/// absent to every read.
extension ReadTransaction {
    /// The live record of `key` at `nowMs`.
    func record(_ key: String, atMs nowMs: Int64) throws(StorageError) -> StoredRecord? {
        let keyBytes = Array(key.utf8)
        guard let record = try withValue(keyBytes, RecordCodec.record) else { return nil }
        guard let record else { throw RecordCodec.corrupted(keyBytes) }
        return record.header.isLive(atMs: nowMs) ? record : nil
    }

    /// The live value bytes of `key` at `nowMs` (copies only the value).
    func value(_ key: String, atMs nowMs: Int64) throws(StorageError) -> [UInt8]? {
        enum Found { case live([UInt8]), expired, corrupted }
        let keyBytes = Array(key.utf8)
        let found = try withValue(keyBytes) { bytes -> Found in
            guard let header = RecordCodec.header(bytes) else { return .corrupted }
            return header.isLive(atMs: nowMs) ? .live(RecordCodec.value(bytes)) : .expired
        }
        switch found {
        case nil, .expired: return nil
        case .live(let value): return value
        case .corrupted: throw RecordCodec.corrupted(keyBytes)
        }
    }

    /// The revision and user-record count.
    func state() throws(StorageError) -> LMDBLayout.State {
        guard let state = try withValue(LMDBLayout.stateKey, LMDBLayout.State.init), let state else {
            throw StorageError(.io, "the store's state record is missing or unreadable")
        }
        return state
    }

    /// Live user keys starting with `prefix`, strictly after `after`, in byte order; at most
    /// `limit + 1` entries to detect a next page. Reads headers only, never values.
    func listing(prefix: [UInt8], after: [UInt8]?, limit: Int, atMs nowMs: Int64) throws(StorageError) -> [KeyPage.Entry] {
        var start = prefix
        if let after, prefix.lexicographicallyPrecedes(after) { start = after }
        if start.lexicographicallyPrecedes(LMDBLayout.firstUserKey) { start = LMDBLayout.firstUserKey }
        var entries: [KeyPage.Entry] = []
        var corrupted: [UInt8]?
        try walk(from: start) { key, value in
            guard entries.count <= limit, key.starts(with: prefix) else { return false }
            if let after, !after.lexicographicallyPrecedes(key) { return true }
            guard let header = RecordCodec.header(value) else {
                corrupted = Array(key)
                return false
            }
            guard header.isLive(atMs: nowMs) else { return true }
            entries.append(KeyPage.Entry(
                key: String(decoding: key, as: UTF8.self), bytes: value.count - RecordCodec.headerSize,
                createRevision: header.createRevision, modRevision: header.modRevision, version: header.version,
                expiresAt: ExpiryTime.date(header.expiresAtMs)))
            return true
        }
        if let corrupted { throw RecordCodec.corrupted(corrupted) }
        return entries
    }
}
