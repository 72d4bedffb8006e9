import KVStorage

extension KVStoreConfiguration {
    /// How and where key-value data is kept.
    public struct Storage: Sendable, Equatable {
        /// The storage implementation.
        public enum Engine: String, Sendable, CaseIterable {
            /// Durable, on disk (LMDB).
            case lmdb
            /// In process memory; lost when the server stops.
            case memory
            /// Shared by many nodes: PostgreSQL (or an engine that speaks its protocol), `storage.postgres.*`.
            case postgres
        }

        /// When a write reaches the disk: the store's own ``KVStorage/Durability``, parsed straight from `storage.durability`.
        public typealias Durability = KVStorage.Durability

        /// Key `storage.engine`.
        public var engine: Engine
        /// Key `storage.path`: the data directory.
        public var path: String
        /// Key `storage.durability`.
        public var durability: Durability
        /// Key `storage.sync_interval`: seconds between syncs in `batched` mode.
        public var syncInterval: Double
        /// Key `storage.max_value_bytes`: the largest value accepted.
        public var maxValueBytes: Int
        /// Key `storage.quota_bytes`: the most the store may grow to on disk.
        public var quotaBytes: Int
        /// Keys `storage.postgres.*`: the database of the `postgres` engine.
        public var postgres: Postgres

        public init(
            engine: Engine = .lmdb,
            path: String = "./data",
            durability: Durability = .always,
            syncInterval: Double = 1,
            maxValueBytes: Int = 1 << 20,
            quotaBytes: Int = 8 << 30,
            postgres: Postgres = Postgres()
        ) {
            self.engine = engine
            self.path = path
            self.durability = durability
            self.syncInterval = syncInterval
            self.maxValueBytes = maxValueBytes
            self.quotaBytes = quotaBytes
            self.postgres = postgres
        }
    }
}

extension KVStoreConfiguration.Storage {
    /// The database of the `postgres` engine and how a node shares it.
    public struct Postgres: Sendable, Equatable {
        public typealias Host = PostgresOptions.Host
        public typealias TLSMode = PostgresOptions.TLSMode

        /// Key `storage.postgres.hosts`: a primary and standbys; the writable one is used.
        public var hosts: [Host]
        /// Key `storage.postgres.database`.
        public var database: String
        /// Key `storage.postgres.user`.
        public var user: String
        /// Key `storage.postgres.password`; never shown.
        public var password: String?
        /// Key `storage.postgres.password_file`: the password read from that file at start-up; never shown.
        public var passwordFromFile: String?
        /// Key `storage.postgres.pool_size`.
        public var poolSize: Int
        /// Key `storage.postgres.connect_timeout_seconds`.
        public var connectTimeoutSeconds: Double
        /// Key `storage.postgres.statement_timeout_seconds`.
        public var statementTimeoutSeconds: Double
        /// Key `storage.postgres.tls`.
        public var tls: TLSMode
        /// Key `storage.postgres.schema`.
        public var schema: String
        /// Key `storage.postgres.poll_interval_seconds`.
        public var pollIntervalSeconds: Double
        /// Key `storage.postgres.change_log_revisions`.
        public var changeLogRevisions: Int

        public init(
            hosts: [Host] = [Host(host: "127.0.0.1", port: 5432)], database: String = "kvstore", user: String = "kvstore",
            password: String? = nil, passwordFromFile: String? = nil, poolSize: Int = 10, connectTimeoutSeconds: Double = 5,
            statementTimeoutSeconds: Double = 5, tls: TLSMode = .prefer, schema: String = "kvstore", pollIntervalSeconds: Double = 0.1,
            changeLogRevisions: Int = 100_000
        ) {
            self.hosts = hosts
            self.database = database
            self.user = user
            self.password = password
            self.passwordFromFile = passwordFromFile
            self.poolSize = poolSize
            self.connectTimeoutSeconds = connectTimeoutSeconds
            self.statementTimeoutSeconds = statementTimeoutSeconds
            self.tls = tls
            self.schema = schema
            self.pollIntervalSeconds = pollIntervalSeconds
            self.changeLogRevisions = changeLogRevisions
        }

        /// The password to log in with: the file's, else the setting's.
        public var effectivePassword: String? { passwordFromFile ?? password }
    }
}
