/// How a `PostgresStore` reaches its database and shares it with the other nodes.
public struct PostgresOptions: Sendable, Equatable {
    /// One server of the list: a primary or a standby (the store finds the writable one).
    public struct Host: Sendable, Equatable, CustomStringConvertible {
        public var host: String
        public var port: Int
        public init(host: String, port: Int = 5432) {
            self.host = host
            self.port = port
        }
        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    /// libpq's `sslmode`, as far as postgres-nio offers it.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it (its certificate not checked, as libpq's `prefer`), else plain.
        case prefer
        /// TLS with the certificate verified against the system's roots, or no connection.
        case require
    }

    /// Tried in order; the first that accepts writes (`pg_is_in_recovery()` false) is used.
    public var hosts: [Host]
    public var database: String
    public var user: String
    /// Never logged nor shown.
    public var password: String?
    /// Connections in this node's pool.
    public var poolSize: Int
    /// Seconds to open a connection to one host.
    public var connectTimeout: Double
    /// Seconds one storage operation may take, from leasing a connection to `COMMIT`; the database's
    /// `statement_timeout` too. Past it the request gets `503 storage_unavailable`.
    public var statementTimeout: Double
    public var tls: TLSMode
    /// The schema that holds the tables (created at start).
    public var schema: String
    /// Seconds between two reads of the change log for other nodes' writes (watches, statistics).
    public var pollInterval: Double
    /// Revisions kept in the change log; older ones are deleted (a node further behind restarts its watches).
    public var changeLogRevisions: Int64
    public var maxValueBytes: Int
    /// The most the keys and values may add up to (the store's own count, not the database's size on disk).
    public var quotaBytes: Int
    /// This node's name in the probe table.
    public var nodeID: String

    public init(
        hosts: [Host] = [Host(host: "127.0.0.1")], database: String = "kvstore", user: String = "kvstore",
        password: String? = nil, poolSize: Int = 10, connectTimeout: Double = 5, statementTimeout: Double = 5,
        tls: TLSMode = .prefer, schema: String = "kvstore", pollInterval: Double = 0.1, changeLogRevisions: Int64 = 100_000,
        maxValueBytes: Int = 1 << 20, quotaBytes: Int = 8 << 30, nodeID: String = "kvstore"
    ) {
        self.hosts = hosts
        self.database = database
        self.user = user
        self.password = password
        self.poolSize = poolSize
        self.connectTimeout = connectTimeout
        self.statementTimeout = statementTimeout
        self.tls = tls
        self.schema = schema
        self.pollInterval = pollInterval
        self.changeLogRevisions = changeLogRevisions
        self.maxValueBytes = maxValueBytes
        self.quotaBytes = quotaBytes
        self.nodeID = nodeID
    }

    /// Whether `name` may name the schema: a plain lower-case SQL identifier (it is written into statements).
    public static func isValidSchema(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63 else { return false }
        let letters = UInt8(ascii: "a")...UInt8(ascii: "z")
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard letters.contains(first) || first == UInt8(ascii: "_") else { return false }
        return name.utf8.allSatisfy { letters.contains($0) || digits.contains($0) || $0 == UInt8(ascii: "_") }
    }
}
