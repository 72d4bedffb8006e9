import CLMDB

/// The raw LMDB calls both kinds of transaction share; they return LMDB's result code.
/// Pointers handed to `body` are valid only during the call (they point into the map).
private enum LMDBAccess {
    static func withValue<T>(
        _ txn: OpaquePointer?, _ dbi: MDB_dbi, _ key: [UInt8], _ body: (UnsafeRawBufferPointer) -> T
    ) -> (Int32, T?) {
        var mdbValue = MDB_val()
        let rc = key.withUnsafeBytes { keyBytes in
            var mdbKey = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            return mdb_get(txn, dbi, &mdbKey, &mdbValue)
        }
        guard rc == 0 else { return (rc, nil) }
        return (0, body(UnsafeRawBufferPointer(start: mdbValue.mv_data, count: mdbValue.mv_size)))
    }

    /// Calls `body` with each key and value from the first key at or after `start`, in byte
    /// order, until it returns false or the keys end.
    static func walk(
        _ txn: OpaquePointer?, _ dbi: MDB_dbi, from start: [UInt8],
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Bool
    ) -> Int32 {
        var cursor: OpaquePointer?
        let open = mdb_cursor_open(txn, dbi, &cursor)
        if open != 0 { return open }
        defer { mdb_cursor_close(cursor) }
        var mdbKey = MDB_val()
        var mdbValue = MDB_val()
        var rc: Int32 = start.withUnsafeBytes { buffer in
            mdbKey = MDB_val(mv_size: buffer.count, mv_data: UnsafeMutableRawPointer(mutating: buffer.baseAddress))
            return buffer.isEmpty
                ? mdb_cursor_get(cursor, &mdbKey, &mdbValue, MDB_FIRST)
                : mdb_cursor_get(cursor, &mdbKey, &mdbValue, MDB_SET_RANGE)
        }
        while rc == 0 {
            let key = UnsafeRawBufferPointer(start: mdbKey.mv_data, count: mdbKey.mv_size)
            let value = UnsafeRawBufferPointer(start: mdbValue.mv_data, count: mdbValue.mv_size)
            if !body(key, value) { return 0 }
            rc = mdb_cursor_get(cursor, &mdbKey, &mdbValue, MDB_NEXT)
        }
        return rc == MDB_NOTFOUND ? 0 : rc
    }
}

/// A read-only view valid only inside `withReadTransaction`.
struct ReadTransaction {
    let txn: OpaquePointer?
    let dbi: MDB_dbi

    /// `body` applied to the stored bytes of `key`; nil when absent. Copy what you keep.
    func withValue<T>(_ key: [UInt8], _ body: (UnsafeRawBufferPointer) -> T) throws(StorageError) -> T? {
        let (rc, result) = LMDBAccess.withValue(txn, dbi, key, body)
        if rc == MDB_NOTFOUND { return nil }
        try LMDBEnvironment.check(rc, "mdb_get")
        return result
    }

    /// See `LMDBAccess.walk`.
    func walk(from start: [UInt8], _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Bool) throws(StorageError) {
        try LMDBEnvironment.check(LMDBAccess.walk(txn, dbi, from: start, body), "mdb_cursor_get")
    }

    func entryCount() throws(StorageError) -> Int {
        var stat = MDB_stat()
        try LMDBEnvironment.check(mdb_stat(txn, dbi, &stat), "mdb_stat")
        return Int(stat.ms_entries)
    }
}

/// A write transaction, used only on the writer thread (and at open, before the writer starts).
struct WriteTransaction {
    let txn: OpaquePointer?
    let dbi: MDB_dbi

    /// `body` applied to the stored bytes of `key`; nil when absent. Copy what you keep.
    func withValue<T>(_ key: [UInt8], _ body: (UnsafeRawBufferPointer) -> T) throws(LMDBFailure) -> T? {
        let (rc, result) = LMDBAccess.withValue(txn, dbi, key, body)
        if rc == MDB_NOTFOUND { return nil }
        if rc != 0 { throw LMDBFailure(code: rc, call: "mdb_get") }
        return result
    }

    /// See `LMDBAccess.walk`. `body` must not write: collect, then write after the walk.
    func walk(from start: [UInt8], _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Bool) throws(LMDBFailure) {
        let rc = LMDBAccess.walk(txn, dbi, from: start, body)
        if rc != 0 { throw LMDBFailure(code: rc, call: "mdb_cursor_get") }
    }

    /// Stores `size` bytes under `key`, written in place by `fill` (`MDB_RESERVE`: no copy of the value).
    func put(_ key: [UInt8], size: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) throws(LMDBFailure) {
        var mdbValue = MDB_val(mv_size: size, mv_data: nil)
        let rc = key.withUnsafeBytes { keyBytes in
            var mdbKey = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            return mdb_put(txn, dbi, &mdbKey, &mdbValue, UInt32(MDB_RESERVE))
        }
        if rc != 0 { throw LMDBFailure(code: rc, call: "mdb_put") }
        fill(UnsafeMutableRawBufferPointer(start: mdbValue.mv_data, count: size))
    }

    /// Stores `value` under `key`.
    func put(_ key: [UInt8], _ value: [UInt8]) throws(LMDBFailure) {
        try put(key, size: value.count) { buffer in
            if !value.isEmpty { value.withUnsafeBytes { buffer.copyMemory(from: $0) } }
        }
    }

    /// Writes a record, reads it back and deletes it; throws if it did not read back.
    func probe(_ key: [UInt8]) throws(LMDBFailure) -> Bool {
        let value = Array("\(UInt64.random(in: 0 ... .max))".utf8)
        try put(key, value)
        guard let readBack = try withValue(key, { Array($0) }) else {
            throw LMDBFailure(code: MDB_NOTFOUND, call: "mdb_get(probe)")
        }
        if readBack != value { throw LMDBFailure(code: MDB_CORRUPTED, call: "probe read-back") }
        return try delete(key)
    }

    /// Deletes the key; returns true when it existed.
    @discardableResult
    func delete(_ key: [UInt8]) throws(LMDBFailure) -> Bool {
        let rc = key.withUnsafeBytes { keyBytes in
            var mdbKey = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            return mdb_del(txn, dbi, &mdbKey, nil)
        }
        if rc == 0 { return true }
        if rc == MDB_NOTFOUND { return false }
        throw LMDBFailure(code: rc, call: "mdb_del")
    }
}
