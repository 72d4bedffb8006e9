extension KVMetrics {
    /// Nodes of the shared store by state (`alive`, `missing`, `left`), as this node reads the heartbeat rows.
    public static let clusterMembers = MetricDescriptor(
        name: .clusterMembers,
        help: "Nodes sharing this node's store, by state: alive, missing (no heartbeat for three intervals) or left (shut down cleanly).",
        type: .gauge,
        labelNames: ["state"]
    )
    /// Database connections this node holds for an operation right now (the `postgres` engine).
    public static let postgresConnectionsInUse = MetricDescriptor(
        name: .postgresConnectionsInUse,
        help: "PostgreSQL connections of this node's pool in use by an operation.",
        type: .gauge
    )
    /// The pool's size (`storage.postgres.pool_size`).
    public static let postgresPoolSize = MetricDescriptor(
        name: .postgresPoolSize,
        help: "The most PostgreSQL connections this node opens (storage.postgres.pool_size).",
        type: .gauge
    )
    /// Time an operation waited for a connection of the pool.
    public static let postgresWaitSeconds = MetricDescriptor(
        name: .postgresWaitSeconds,
        help: "Seconds a storage operation waited for a PostgreSQL connection (finding the writable server included).",
        type: .histogram,
        unit: "seconds"
    )
    /// Time a database operation took once it had a connection, by operation.
    public static let postgresQueryDurationSeconds = MetricDescriptor(
        name: .postgresQueryDurationSeconds,
        help: "Seconds a storage operation's statements took on PostgreSQL, from lease to COMMIT, by operation.",
        type: .histogram,
        labelNames: ["operation"],
        unit: "seconds"
    )
    /// Failed database operations, by why.
    public static let postgresErrorsTotal = MetricDescriptor(
        name: .postgresErrorsTotal,
        help: "Failed PostgreSQL operations, by reason: unavailable (timeout, lost connection, no writable server) or statement.",
        type: .counter,
        labelNames: ["reason"]
    )
}
