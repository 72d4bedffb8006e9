/// `RecordTable` over one LMDB write transaction, keeping the expiry index and the user-record
/// count in step (see `LMDBLayout`).
struct LMDBRecordTable: RecordTable {
    let txn: WriteTransaction
    /// User records added minus removed in this transaction.
    private(set) var addedKeys = 0

    init(_ txn: WriteTransaction) {
        self.txn = txn
    }

    func header(_ key: [UInt8]) throws(LMDBFailure) -> RecordHeader? {
        guard let header = try txn.withValue(key, RecordCodec.header) else { return nil }
        guard let header else { throw Self.corrupted(key) }
        return header
    }

    func record(_ key: [UInt8]) throws(LMDBFailure) -> StoredRecord? {
        guard let record = try txn.withValue(key, RecordCodec.record) else { return nil }
        guard let record else { throw Self.corrupted(key) }
        return record
    }

    /// One B-tree search for a new key (the put itself), two for an existing one, as before headers.
    mutating func write(
        _ key: [UInt8], _ value: [UInt8], header makeHeader: (RecordHeader?) -> RecordHeader
    ) throws(LMDBFailure) -> (old: RecordHeader?, new: RecordHeader) {
        let size = RecordCodec.headerSize + value.count
        let (reserved, existing) = try txn.reserveIfAbsent(key, size: size, copying: RecordCodec.headerSize)
        let old: RecordHeader?
        let header: RecordHeader
        if let reserved {
            old = nil
            header = makeHeader(nil)
            RecordCodec.encode(header, value, into: reserved)
            addedKeys += 1
        } else {
            guard let stored = existing?.withUnsafeBytes(RecordCodec.header) else { throw Self.corrupted(key) }
            old = stored
            header = makeHeader(stored)
            try txn.put(key, size: size) { RecordCodec.encode(header, value, into: $0) }
            if stored.expiresAtMs != 0 && stored.expiresAtMs != header.expiresAtMs {
                try txn.delete(LMDBLayout.expiryEntry(key, stored.expiresAtMs).key)
            }
        }
        if header.expiresAtMs != 0 && header.expiresAtMs != old?.expiresAtMs {
            let entry = LMDBLayout.expiryEntry(key, header.expiresAtMs)
            try txn.put(entry.key, entry.value)
        }
        return (old, header)
    }

    mutating func remove(_ key: [UInt8], _ old: RecordHeader) throws(LMDBFailure) {
        if try txn.delete(key) { addedKeys -= 1 }
        if old.expiresAtMs != 0 { try txn.delete(LMDBLayout.expiryEntry(key, old.expiresAtMs).key) }
    }

    /// Walks the expiry index from its start; index entries whose record no longer carries that
    /// expiry (none should exist) are removed on the way.
    mutating func dueKeys(atMs nowMs: Int64, limit: Int) throws(LMDBFailure) -> [([UInt8], RecordHeader)] {
        var due: [([UInt8], RecordHeader)] = []
        var stale: [[UInt8]] = []
        var failure: LMDBFailure?
        let limit = max(0, limit)
        try txn.walk(from: [LMDBLayout.expiryPrefix]) { indexKey, indexValue in
            guard due.count < limit, let (ms, key) = LMDBLayout.decodeExpiryEntry(indexKey, indexValue), ms <= nowMs else { return false }
            do throws(LMDBFailure) {
                if let header = try header(key), header.expiresAtMs == ms {
                    due.append((key, header))
                } else {
                    stale.append(Array(indexKey))
                }
            } catch {
                failure = error
                return false
            }
            return true
        }
        if let failure { throw failure }
        for indexKey in stale { try txn.delete(indexKey) }
        return due
    }

    /// A stored value without a record header: the file is not in the layout it claims.
    static func corrupted(_ key: [UInt8]) -> LMDBFailure {
        LMDBFailure.corrupted(call: "record header of \(String(decoding: key, as: UTF8.self))")
    }
}
