/// What opening a data folder did to its on-disk layout (see `LMDBLayout`): reported once,
/// through `StorageObserver.storageDidMigrateLayout` and `LMDBStore.layoutMigration`.
public struct LayoutMigration: Sendable, Equatable {
    public var fromLayout: Int
    public var toLayout: Int
    /// User keys rewritten.
    public var keys: Int
    public var seconds: Double

    public init(fromLayout: Int, toLayout: Int, keys: Int, seconds: Double) {
        self.fromLayout = fromLayout
        self.toLayout = toLayout
        self.keys = keys
        self.seconds = seconds
    }

    /// The server's log line.
    public var description: String { "migrated \(keys) keys to layout \(toLayout)" }
}

/// Brings a data folder to `LMDBLayout.current` at open, before the store accepts requests.
///
/// A folder with the current marker opens as it is; a newer marker is refused. Without a
/// marker (layout 1, or a new folder) every user entry is rewritten with a record header
/// (create = mod = 1, version 1, no expiry; store revision 1, or 0 when there are no keys)
/// and the marker is written, all in ONE write transaction, then synced: a crash leaves either
/// the old layout or the new one. When the map is too small for the copy-on-write pages of
/// that transaction it is doubled and the transaction retried (the map may end above the quota;
/// the writer then refuses puts until deletes make room, as for a lowered quota).
enum LMDBLayoutMigration {
    /// Entries copied out per cursor pass: bounds memory, not the transaction.
    private static let chunk = 512

    static func prepare(_ environment: LMDBEnvironment) throws(StorageError) -> (LMDBLayout.State, LayoutMigration?) {
        let start = monotonicSeconds()
        let (layout, state) = try environment.withReadTransaction { txn throws(StorageError) in
            (try txn.withValue(LMDBLayout.layoutKey, LMDBLayout.decodeLayout),
             try txn.withValue(LMDBLayout.stateKey, LMDBLayout.State.init))
        }
        if let layout {
            guard let layout, layout <= LMDBLayout.current else {
                let named = layout.map { "layout \($0)" } ?? "an unreadable layout marker"
                throw StorageError(.io, "the data folder \(environment.path) uses \(named); this release reads layouts up to \(LMDBLayout.current): upgrade kvstore or use another folder")
            }
            if layout == LMDBLayout.current {
                guard let state, let state else { throw StorageError(.io, "the data folder \(environment.path) has layout \(layout) but no readable state record") }
                return (state, nil)
            }
        }
        var attempts = 0
        var keys = 0
        while true {
            do throws(LMDBFailure) {
                keys = try environment.withWriteTransaction { txn throws(LMDBFailure) in try rewrite(txn) }
                break
            } catch where error.isMapFull && attempts < 32 {
                attempts += 1
                try environment.resizeMap(to: try environment.info().mapSize * 2)
            } catch {
                throw StorageError(.io, "migrating \(environment.path) to layout \(LMDBLayout.current) failed: \(error.storageError.message)")
            }
        }
        try environment.sync()
        let migration = keys > 0
            ? LayoutMigration(fromLayout: 1, toLayout: Int(LMDBLayout.current), keys: keys, seconds: monotonicSeconds() - start)
            : nil
        return (LMDBLayout.State(revision: keys > 0 ? 1 : 0, keys: keys), migration)
    }

    /// Rewrites every user entry with a header, then writes the marker and the state; returns the count.
    private static func rewrite(_ txn: WriteTransaction) throws(LMDBFailure) -> Int {
        let header = RecordHeader(createRevision: 1, modRevision: 1, version: 1, expiresAtMs: 0)
        var after: [UInt8]?
        var count = 0
        while true {
            var entries: [([UInt8], [UInt8])] = []
            // From the last key of the previous pass (a successor key could exceed LMDB's 511 bytes).
            try txn.walk(from: after ?? LMDBLayout.firstUserKey) { key, value in
                guard entries.count < chunk else { return false }
                if LMDBLayout.isUserKey(key) && !key.elementsEqual(after ?? []) { entries.append((Array(key), Array(value))) }
                return true
            }
            guard let last = entries.last else { break }
            for (key, value) in entries {
                try txn.put(key, size: RecordCodec.headerSize + value.count) { RecordCodec.encode(header, value, into: $0) }
            }
            count += entries.count
            after = last.0
        }
        try txn.put(LMDBLayout.layoutKey, LMDBLayout.encodedLayout(LMDBLayout.current))
        try txn.put(LMDBLayout.stateKey, LMDBLayout.State(revision: count > 0 ? 1 : 0, keys: count).encoded)
        return count
    }
}
