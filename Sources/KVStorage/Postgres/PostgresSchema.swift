import Logging
import PostgresNIO

/// The tables of the shared store, in the spirit of k3s's kine: a key table holding each key's
/// newest record, an ordered change log (one row per changed key, gap-free revisions) that
/// watches on every node read, and one row with the store revision, key count and bytes.
///
/// Every write transaction locks that row first (`SELECT … FOR UPDATE`), so writes from all nodes
/// are serialized: compares read committed state, revisions commit in order, and a change-log row
/// is visible only after every lower revision's. The SQL stays within what CockroachDB and
/// YugabyteDB also accept (no stored procedures, no `LISTEN`), apart from the advisory lock of
/// the migration (see `migrate`).
struct PostgresSchema: Sendable {
    let name: String

    var meta: String { "\(name).kv_meta" }
    var keys: String { "\(name).kv_keys" }
    var changes: String { "\(name).kv_changes" }
    var probe: String { "\(name).kv_probe" }
    var members: String { "\(name).kv_members" }
    var migrations: String { "\(name).kv_schema_migrations" }

    /// The versioned migrations, in order: a version's statements run once, in one transaction.
    var versions: [[String]] {
        [
            [
                "CREATE TABLE \(meta) (id INT PRIMARY KEY, revision BIGINT NOT NULL, keys BIGINT NOT NULL, bytes BIGINT NOT NULL)",
                "INSERT INTO \(meta) (id, revision, keys, bytes) VALUES (1, 0, 0, 0)",
                """
                CREATE TABLE \(keys) (key BYTEA PRIMARY KEY, value BYTEA NOT NULL, create_revision BIGINT NOT NULL, \
                mod_revision BIGINT NOT NULL, version BIGINT NOT NULL, expires_at_ms BIGINT NOT NULL)
                """,
                "CREATE INDEX kv_keys_expiry ON \(keys) (expires_at_ms, key) WHERE expires_at_ms > 0",
                """
                CREATE TABLE \(changes) (revision BIGINT NOT NULL, seq INT NOT NULL, key BYTEA NOT NULL, kind SMALLINT NOT NULL, \
                reason SMALLINT NOT NULL, value BYTEA, create_revision BIGINT NOT NULL, version BIGINT NOT NULL, \
                expires_at_ms BIGINT NOT NULL, PRIMARY KEY (revision, seq))
                """,
                "CREATE TABLE \(probe) (node TEXT PRIMARY KEY, at_ms BIGINT NOT NULL)",
            ],
            [
                """
                CREATE TABLE \(members) (node TEXT PRIMARY KEY, url TEXT NOT NULL, version TEXT NOT NULL, \
                started_at_ms BIGINT NOT NULL, last_seen_ms BIGINT NOT NULL, interval_ms BIGINT NOT NULL, \
                health TEXT NOT NULL, state TEXT NOT NULL)
                """,
            ],
        ]
    }

    /// An arbitrary constant: with the schema name's hash, the advisory lock all nodes of one schema
    /// take while migrating (PostgreSQL's; on an engine without advisory locks, start the first node alone).
    static let migrationLock: Int32 = 0x6b76_7301

    /// Brings the schema to the newest version in one transaction, under an advisory lock so that
    /// nodes starting at once migrate one after the other; returns the versions applied.
    func migrate(on connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock), hashtext(\(name)))", logger: logger)
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(name)"), logger: logger)
            try await connection.query(PostgresQuery(unsafeSQL: """
                CREATE TABLE IF NOT EXISTS \(migrations) (version INT PRIMARY KEY, applied_at_ms BIGINT NOT NULL)
                """), logger: logger)
            var current = 0
            for try await version in try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT coalesce(max(version), 0) FROM \(migrations)"), logger: logger
            ).decode(Int.self) {
                current = version
            }
            var applied: [Int] = []
            for (index, statements) in versions.enumerated() where index + 1 > current {
                for statement in statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                let version = index + 1
                try await connection.query(PostgresQuery(
                    unsafeSQL: "INSERT INTO \(migrations) (version, applied_at_ms) VALUES ($1, (extract(epoch from now()) * 1000)::BIGINT)",
                    binds: Self.binds(version)), logger: logger)
                applied.append(version)
            }
            return applied
        }
    }

    static func binds(_ values: any PostgresDynamicTypeEncodable...) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values { bindings.append(value) }
        return bindings
    }
}
