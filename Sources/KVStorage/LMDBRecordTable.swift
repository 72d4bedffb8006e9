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

    mutating func write(_ key: [UInt8], _ record: StoredRecord, replacing old: RecordHeader?) throws(LMDBFailure) {
        try txn.put(key, size: RecordCodec.headerSize + record.value.count) { buffer in
            RecordCodec.encode(record.header, record.value, into: buffer)
        }
        if let old {
            if old.expiresAtMs != 0 && old.expiresAtMs != record.header.expiresAtMs {
                try txn.delete(LMDBLayout.expiryEntry(key, old.expiresAtMs).key)
            }
        } else {
            addedKeys += 1
        }
        if record.header.expiresAtMs != 0 && record.header.expiresAtMs != old?.expiresAtMs {
            let entry = LMDBLayout.expiryEntry(key, record.header.expiresAtMs)
            try txn.put(entry.key, entry.value)
        }
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
