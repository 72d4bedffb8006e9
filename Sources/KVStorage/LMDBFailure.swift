import CLMDB

/// A failed LMDB call inside a write transaction, with the raw code so the writer can react to MDB_MAP_FULL.
struct LMDBFailure: Error {
    let code: Int32
    let call: String
    var isMapFull: Bool { code == MDB_MAP_FULL }
    /// The transaction has more dirty pages than LMDB allows in one.
    var isTransactionFull: Bool { code == MDB_TXN_FULL }
    /// The commit itself (a write or fsync of the data file) failed: the file is in doubt.
    var isCommitFailure: Bool { call == "mdb_txn_commit" }
    var storageError: StorageError { StorageError(.io, "\(call): \(String(cString: mdb_strerror(code)))") }

    /// Stored bytes that are not what the layout says (`MDB_CORRUPTED`).
    static func corrupted(call: String) -> LMDBFailure { LMDBFailure(code: MDB_CORRUPTED, call: call) }
}
