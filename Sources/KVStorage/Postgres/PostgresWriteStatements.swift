import Logging
import PostgresNIO

/// The statements of one write transaction, in the order `PostgresStore` runs them.
struct PostgresWriteStatements {
    let schema: PostgresSchema
    let connection: PostgresConnection
    let logger: Logger

    struct Meta {
        var revision: Int64
        var keys: Int64
        var bytes: Int64
    }

    /// Locks the meta row until `COMMIT`: from here on this transaction is the only writer.
    func lockMeta() async throws -> Meta {
        var meta: Meta?
        for try await (revision, keys, bytes) in try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT revision, keys, bytes FROM \(schema.meta) WHERE id = 1 FOR UPDATE"), logger: logger
        ).decode((Int64, Int64, Int64).self) {
            meta = Meta(revision: revision, keys: keys, bytes: bytes)
        }
        guard let meta else { throw StorageError(.io, "the table \(schema.meta) has no row 1") }
        return meta
    }

    /// The stored records of `keys` (expired or not).
    func records(_ keys: [[UInt8]]) async throws -> [[UInt8]: StoredRecord] {
        guard !keys.isEmpty else { return [:] }
        var binds = PostgresBindings(capacity: keys.count)
        for key in keys { binds.append(ByteBuffer(bytes: key)) }
        let placeholders = (1...keys.count).map { "$\($0)" }.joined(separator: ", ")
        var records: [[UInt8]: StoredRecord] = [:]
        for try await (key, value, create, mod, version, expires) in try await connection.query(PostgresQuery(
            unsafeSQL: """
                SELECT key, value, create_revision, mod_revision, version, expires_at_ms FROM \(schema.keys) \
                WHERE key IN (\(placeholders))
                """, binds: binds), logger: logger
        ).decode((ByteBuffer, ByteBuffer, Int64, Int64, Int64, Int64).self) {
            records[Array(key.readableBytesView)] = StoredRecord(
                header: RecordHeader(createRevision: create, modRevision: mod, version: version, expiresAtMs: expires),
                value: Array(value.readableBytesView))
        }
        return records
    }

    /// Up to `limit` keys that expire at or before `nowMs`, earliest first.
    func due(atMs nowMs: Int64, limit: Int) async throws -> [([UInt8], RecordHeader)] {
        var due: [([UInt8], RecordHeader)] = []
        for try await (key, create, mod, version, expires) in try await connection.query(PostgresQuery(
            unsafeSQL: """
                SELECT key, create_revision, mod_revision, version, expires_at_ms FROM \(schema.keys) \
                WHERE expires_at_ms > 0 AND expires_at_ms <= $1 ORDER BY expires_at_ms, key LIMIT \(max(0, limit))
                """, binds: PostgresSchema.binds(nowMs)), logger: logger
        ).decode((ByteBuffer, Int64, Int64, Int64, Int64).self) {
            due.append((Array(key.readableBytesView), RecordHeader(createRevision: create, modRevision: mod, version: version, expiresAtMs: expires)))
        }
        return due
    }

    /// Writes back the records the applier changed, the change-log rows and the new totals.
    func apply(_ table: SQLRecordTable, changes: [StorageChange], revision: Int64) async throws {
        var upserts = PostgresBindings()
        var upsertRows: [String] = []
        var deletes = PostgresBindings()
        for key in table.order {
            switch table.writes[key] {
            case .upsert(let record)?:
                let first = upserts.count
                upserts.append(ByteBuffer(bytes: key))
                upserts.append(ByteBuffer(bytes: record.value))
                upserts.append(record.header.createRevision)
                upserts.append(record.header.modRevision)
                upserts.append(record.header.version)
                upserts.append(record.header.expiresAtMs)
                upsertRows.append("(" + (1...6).map { "$\(first + $0)" }.joined(separator: ", ") + ")")
            case .delete?:
                deletes.append(ByteBuffer(bytes: key))
            case nil:
                break
            }
        }
        if !upsertRows.isEmpty {
            try await connection.query(PostgresQuery(
                unsafeSQL: """
                    INSERT INTO \(schema.keys) (key, value, create_revision, mod_revision, version, expires_at_ms) \
                    VALUES \(upsertRows.joined(separator: ", ")) ON CONFLICT (key) DO UPDATE SET value = excluded.value, \
                    create_revision = excluded.create_revision, mod_revision = excluded.mod_revision, \
                    version = excluded.version, expires_at_ms = excluded.expires_at_ms
                    """, binds: upserts), logger: logger)
        }
        if deletes.count > 0 {
            let placeholders = (1...deletes.count).map { "$\($0)" }.joined(separator: ", ")
            try await connection.query(
                PostgresQuery(unsafeSQL: "DELETE FROM \(schema.keys) WHERE key IN (\(placeholders))", binds: deletes), logger: logger)
        }
        var rows: [String] = []
        var binds = PostgresBindings()
        for (seq, change) in changes.enumerated() {
            let first = binds.count
            binds.append(revision)
            binds.append(Int32(seq))
            binds.append(ByteBuffer(bytes: Array(change.key.utf8)))
            binds.append(ChangeRow.kind(change.kind))
            binds.append(ChangeRow.reason(change.reason))
            binds.append(change.record.map { ByteBuffer(bytes: $0.value) })
            binds.append(change.record?.createRevision ?? 0)
            binds.append(change.record?.version ?? 0)
            binds.append(ExpiryTime.milliseconds(change.record?.expiresAt))
            rows.append("(" + (1...9).map { "$\(first + $0)" }.joined(separator: ", ") + ")")
        }
        if !rows.isEmpty {
            try await connection.query(PostgresQuery(
                unsafeSQL: """
                    INSERT INTO \(schema.changes) (revision, seq, key, kind, reason, value, create_revision, version, expires_at_ms) \
                    VALUES \(rows.joined(separator: ", "))
                    """, binds: binds), logger: logger)
        }
        try await connection.query(PostgresQuery(
            unsafeSQL: "UPDATE \(schema.meta) SET revision = $1, keys = $2, bytes = $3 WHERE id = 1",
            binds: PostgresSchema.binds(revision, table.keys, table.bytes)), logger: logger)
    }
}
