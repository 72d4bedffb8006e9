import CLMDB
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Owns one LMDB environment and its single database; the only type that touches LMDB's C API.
///
/// Thread safety: `@unchecked Sendable` because LMDB itself is thread-safe for this use:
/// the environment is opened with `MDB_NOTLS`, read transactions begin and end inside one
/// synchronous call, write transactions only ever run on the writer thread, and map resizes
/// take the exclusive side of `resizeLock` while readers hold the shared side. Idle (reset)
/// read transactions are pooled under a mutex and hold no snapshot while idle.
final class LMDBEnvironment: @unchecked Sendable {
    private let env: OpaquePointer
    private var dbi = MDB_dbi()
    private let resizeLock: UnsafeMutablePointer<pthread_rwlock_t>
    let path: String
    let pageSize: Int

    init(path: String, initialMapSize: Int, durability: Durability, maxReaders: UInt32 = 512) throws(StorageError) {
        self.path = path
        var envPointer: OpaquePointer?
        try Self.check(mdb_env_create(&envPointer), "mdb_env_create")
        guard let envPointer else { throw StorageError(.io, "mdb_env_create returned no environment") }
        env = envPointer
        resizeLock = .allocate(capacity: 1)
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        pthread_rwlock_init(resizeLock, &attributes)
        pthread_rwlockattr_destroy(&attributes)

        var flags = UInt32(MDB_NOTLS)
        switch durability {
        // The meta page is synced by the writer before it acknowledges (see LMDBWriter).
        case .always: flags |= UInt32(MDB_NOMETASYNC)
        case .batched: flags |= UInt32(MDB_NOSYNC)
        case .none: flags |= UInt32(MDB_NOSYNC) | UInt32(MDB_NOMETASYNC)
        }
        do {
            try Self.check(mdb_env_set_maxreaders(env, maxReaders), "mdb_env_set_maxreaders")
            try Self.check(mdb_env_set_mapsize(env, initialMapSize), "mdb_env_set_mapsize")
            try Self.check(mdb_env_open(env, path, flags, 0o640), "mdb_env_open \(path)")
            var dead: Int32 = 0
            try Self.check(mdb_reader_check(env, &dead), "mdb_reader_check")
            var stat = MDB_stat()
            mdb_env_stat(env, &stat)
            pageSize = Int(stat.ms_psize)
            var txn: OpaquePointer?
            try Self.check(mdb_txn_begin(env, nil, 0, &txn), "mdb_txn_begin")
            let openResult = mdb_dbi_open(txn, nil, 0, &dbi)
            if openResult != 0 { mdb_txn_abort(txn); try Self.check(openResult, "mdb_dbi_open") }
            try Self.check(mdb_txn_commit(txn), "mdb_txn_commit")
        } catch {
            mdb_env_close(env)
            pthread_rwlock_destroy(resizeLock)
            resizeLock.deallocate()
            throw error
        }
    }

    /// Guarded by `resizeLock`: readers see it under the shared lock, `close` sets it under the exclusive one.
    private var isClosed = false
    /// Guarded by `resizeLock`: set when a map resize failed. LMDB has then already unmapped the
    /// old map and has none, so nothing may read through it again (reads would fault).
    private var lostMap: StorageError?
    /// Reset read-only transactions ready to be renewed: saves a malloc and the reader-table
    /// lock per read. Each keeps its reader slot (`MDB_NOTLS`) but no snapshot.
    private let idleReaders = Mutex<[UInt]>([])  // OpaquePointer bit patterns (pointers are not Sendable)
    private static let maxIdleReaders = 64

    deinit {
        if !isClosed {
            idleReaders.withLock { readers in for txn in readers { mdb_txn_abort(OpaquePointer(bitPattern: txn)) } }
            mdb_env_close(env)
        }
        pthread_rwlock_destroy(resizeLock)
        resizeLock.deallocate()
    }

    /// Closes the environment once no read transaction is open; later reads throw `closed`.
    func close() {
        pthread_rwlock_wrlock(resizeLock)
        defer { pthread_rwlock_unlock(resizeLock) }
        if isClosed { return }
        isClosed = true
        idleReaders.withLock { readers in
            for txn in readers { mdb_txn_abort(OpaquePointer(bitPattern: txn)) }
            readers.removeAll()
        }
        mdb_env_close(env)
    }

    // MARK: reads

    /// Runs `body` inside a short read-only transaction on the calling thread.
    func withReadTransaction<T>(_ body: (ReadTransaction) throws(StorageError) -> T) throws(StorageError) -> T {
        pthread_rwlock_rdlock(resizeLock)
        defer { pthread_rwlock_unlock(resizeLock) }
        if isClosed { throw StorageError.closed }
        if let lostMap { throw lostMap }
        var txn = idleReaders.withLock { $0.popLast() }.flatMap { OpaquePointer(bitPattern: $0) }
        if let idle = txn, mdb_txn_renew(idle) != 0 {
            mdb_txn_abort(idle)
            txn = nil
        }
        if txn == nil {
            try Self.check(mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txn), "mdb_txn_begin(read)")
        }
        defer {
            mdb_txn_reset(txn)
            let bits = UInt(bitPattern: txn)
            let kept = idleReaders.withLock { readers in
                guard readers.count < Self.maxIdleReaders, bits != 0 else { return false }
                readers.append(bits)
                return true
            }
            if !kept { mdb_txn_abort(txn) }
        }
        return try body(ReadTransaction(txn: txn, dbi: dbi))
    }

    // MARK: writes (writer thread only)

    /// Runs `body` in a write transaction and commits it; aborts when `body` throws.
    func withWriteTransaction<T>(_ body: (WriteTransaction) throws(LMDBFailure) -> T) throws(LMDBFailure) -> T {
        var txn: OpaquePointer?
        let begin = mdb_txn_begin(env, nil, 0, &txn)
        if begin != 0 { throw LMDBFailure(code: begin, call: "mdb_txn_begin") }
        let result: T
        do {
            result = try body(WriteTransaction(txn: txn, dbi: dbi))
        } catch {
            mdb_txn_abort(txn)
            throw error
        }
        let commit = mdb_txn_commit(txn)
        if commit != 0 { throw LMDBFailure(code: commit, call: "mdb_txn_commit") }
        return result
    }

    /// Sets the map size while no read transaction is open; LMDB raises it to the used size if smaller.
    ///
    /// A failure is final: LMDB unmapped the old map before it tried the new one, so the
    /// environment refuses every later read and resize with `storage_unavailable`.
    func resizeMap(to bytes: Int) throws(StorageError) {
        pthread_rwlock_wrlock(resizeLock)
        defer { pthread_rwlock_unlock(resizeLock) }
        if let lostMap { throw lostMap }
        let rc = mdb_env_set_mapsize(env, bytes)
        if rc != 0 {
            let failure = StorageError(
                .unavailable, "mdb_env_set_mapsize to \(bytes) bytes failed (\(String(cString: mdb_strerror(rc)))); the map is gone until restart")
            lostMap = failure
            throw failure
        }
    }

    /// Forces buffered writes to disk (used by `batched` durability and at close).
    func sync() throws(StorageError) {
        try Self.check(mdb_env_sync(env, 1), "mdb_env_sync")
    }

    /// What the newest meta page says: map size, bytes used up to the highest page, and the id
    /// of the last transaction that wrote a meta page. Under the shared lock: the meta pages live
    /// in the map, which a resize replaces.
    func info() throws(StorageError) -> (mapSize: Int, bytesInUse: Int, lastTransactionID: Int) {
        pthread_rwlock_rdlock(resizeLock)
        defer { pthread_rwlock_unlock(resizeLock) }
        if isClosed { throw StorageError.closed }
        if let lostMap { throw lostMap }
        var info = MDB_envinfo()
        mdb_env_info(env, &info)
        return (Int(info.me_mapsize), (Int(info.me_last_pgno) + 1) * pageSize, Int(info.me_last_txnid))
    }

    func entryCount() throws(StorageError) -> Int {
        try withReadTransaction { txn throws(StorageError) in try txn.entryCount() }
    }

    static func check(_ code: Int32, _ call: String) throws(StorageError) {
        if code != 0 { throw StorageError(.io, "\(call): \(String(cString: mdb_strerror(code)))") }
    }
}

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
    fileprivate let txn: OpaquePointer?
    fileprivate let dbi: MDB_dbi

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
    fileprivate let txn: OpaquePointer?
    fileprivate let dbi: MDB_dbi

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

    /// Reserves `size` bytes under `key` when the key is new (`MDB_NOOVERWRITE`: one search) and
    /// returns them to be filled before the next call; when it exists, returns the first
    /// `prefix` bytes of its value instead.
    func reserveIfAbsent(
        _ key: [UInt8], size: Int, copying prefix: Int
    ) throws(LMDBFailure) -> (reserved: UnsafeMutableRawBufferPointer?, existing: [UInt8]?) {
        var mdbValue = MDB_val(mv_size: size, mv_data: nil)
        let rc = key.withUnsafeBytes { keyBytes in
            var mdbKey = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            return mdb_put(txn, dbi, &mdbKey, &mdbValue, UInt32(MDB_NOOVERWRITE) | UInt32(MDB_RESERVE))
        }
        if rc == 0 { return (UnsafeMutableRawBufferPointer(start: mdbValue.mv_data, count: size), nil) }
        // MDB_KEYEXIST pointed mdbValue at the existing data.
        if rc == MDB_KEYEXIST {
            return (nil, Array(UnsafeRawBufferPointer(start: mdbValue.mv_data, count: mdbValue.mv_size).prefix(prefix)))
        }
        throw LMDBFailure(code: rc, call: "mdb_put")
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
