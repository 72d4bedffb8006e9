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
    func due(atMs nowMs: Int64, limit: Int) async throws -> [SQLRecordTable.DueKey] {
        var due: [SQLRecordTable.DueKey] = []
        for try await (key, create, mod, version, expires, size) in try await connection.query(PostgresQuery(
            unsafeSQL: """
                SELECT key, create_revision, mod_revision, version, expires_at_ms, length(value) FROM \(schema.keys) \
                WHERE expires_at_ms > 0 AND expires_at_ms <= $1 ORDER BY expires_at_ms, key LIMIT \(max(0, limit))
                """, binds: PostgresSchema.binds(nowMs)), logger: logger
        ).decode((ByteBuffer, Int64, Int64, Int64, Int64, Int32).self) {
            due.append(SQLRecordTable.DueKey(
                key: Array(key.readableBytesView),
                header: RecordHeader(createRevision: create, modRevision: mod, version: version, expiresAtMs: expires),
                valueBytes: Int(size)))
        }
        return due
    }

    /// Rows per multi-row statement: PostgreSQL takes at most 65,535 parameters a statement.
    static let rowsPerStatement = 5000

    /// Writes back the records the applier changed, the change-log rows (each at its own revision)
    /// and the new totals, the store revision becoming `revision`.
    func apply(_ table: SQLRecordTable, changes: [StorageChange], revision: Int64) async throws {
        var upserts: [[any PostgresDynamicTypeEncodable]] = []
        var deletes: [[UInt8]] = []
        for key in table.order {
            switch table.writes[key] {
            case .upsert(let record)?:
                upserts.append([
                    ByteBuffer(bytes: key), ByteBuffer(bytes: record.value), record.header.createRevision, record.header.modRevision,
                    record.header.version, record.header.expiresAtMs,
                ])
            case .delete?:
                deletes.append(key)
            case nil:
                break
            }
        }
        try await insert(upserts, into: "\(schema.keys) (key, value, create_revision, mod_revision, version, expires_at_ms)", then: """
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, create_revision = excluded.create_revision, \
            mod_revision = excluded.mod_revision, version = excluded.version, expires_at_ms = excluded.expires_at_ms
            """)
        for start in stride(from: 0, to: deletes.count, by: Self.rowsPerStatement) {
            let chunk = deletes[start..<min(deletes.count, start + Self.rowsPerStatement)]
            var binds = PostgresBindings(capacity: chunk.count)
            for key in chunk { binds.append(ByteBuffer(bytes: key)) }
            let placeholders = (1...chunk.count).map { "$\($0)" }.joined(separator: ", ")
            try await connection.query(
                PostgresQuery(unsafeSQL: "DELETE FROM \(schema.keys) WHERE key IN (\(placeholders))", binds: binds), logger: logger)
        }
        var seqs: [Int64: Int32] = [:]
        let rows: [[any PostgresDynamicTypeEncodable]] = changes.map { change in
            let seq = seqs[change.modRevision, default: 0]
            seqs[change.modRevision] = seq + 1
            return [
                change.modRevision, seq, ByteBuffer(bytes: Array(change.key.utf8)), ChangeRow.kind(change.kind), ChangeRow.reason(change.reason),
                change.record.map { ByteBuffer(bytes: $0.value) } ?? ByteBuffer(), change.record?.createRevision ?? 0,
                change.record?.version ?? 0, ExpiryTime.milliseconds(change.record?.expiresAt),
            ]
        }
        try await insert(rows, into: "\(schema.changes) (revision, seq, key, kind, reason, value, create_revision, version, expires_at_ms)")
        try await connection.query(PostgresQuery(
            unsafeSQL: "UPDATE \(schema.meta) SET revision = $1, keys = $2, bytes = $3 WHERE id = 1",
            binds: PostgresSchema.binds(revision, table.keys, table.bytes)), logger: logger)
    }

    /// `INSERT INTO target VALUES …` for `rows` (all of one width), in statements of at most `rowsPerStatement` rows.
    private func insert(_ rows: [[any PostgresDynamicTypeEncodable]], into target: String, then suffix: String = "") async throws {
        for start in stride(from: 0, to: rows.count, by: Self.rowsPerStatement) {
            let chunk = rows[start..<min(rows.count, start + Self.rowsPerStatement)]
            var binds = PostgresBindings()
            var tuples: [String] = []
            for row in chunk {
                let first = binds.count
                for value in row { binds.append(value) }
                tuples.append("(" + (1...row.count).map { "$\(first + $0)" }.joined(separator: ", ") + ")")
            }
            try await connection.query(PostgresQuery(
                unsafeSQL: "INSERT INTO \(target) VALUES \(tuples.joined(separator: ", ")) \(suffix)", binds: binds), logger: logger)
        }
    }
}
