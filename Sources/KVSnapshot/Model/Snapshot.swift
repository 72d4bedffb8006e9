/// One snapshot file: everything the server saw at one moment, as a standalone JSON document.
public struct Snapshot: Codable, Sendable, Equatable {
    /// The format this library writes.
    public static let currentSchema = SnapshotSchema.current.identifier

    /// `kvstore.snapshot/1`.
    public var schema: String
    /// Increases by one per snapshot of a node, across restarts.
    public var sequence: UInt64
    /// `node.id` (default: the host name).
    public var nodeID: String
    /// When it was taken: RFC 3339, UTC, milliseconds (`2026-11-29T01:02:03.456Z`).
    public var time: String
    public var version: String
    public var uptimeSeconds: Double
    public var health: HealthReport
    /// Every metric family with all its samples, sorted by name.
    public var metrics: [MetricFamilySnapshot]
    public var storage: StorageSnapshot?
    /// Pending and firing alerts.
    public var alerts: [AlertSnapshot]

    public init(schema: String = Snapshot.currentSchema, sequence: UInt64, nodeID: String, time: String, version: String,
                uptimeSeconds: Double, health: HealthReport, metrics: [MetricFamilySnapshot], storage: StorageSnapshot?,
                alerts: [AlertSnapshot]) {
        self.schema = schema
        self.sequence = sequence
        self.nodeID = nodeID
        self.time = time
        self.version = version
        self.uptimeSeconds = uptimeSeconds
        self.health = health
        self.metrics = metrics
        self.storage = storage
        self.alerts = alerts
    }

    enum CodingKeys: String, CodingKey {
        case schema, sequence, time, version, health, metrics, storage, alerts
        case nodeID = "node_id"
        case uptimeSeconds = "uptime_seconds"
    }
}
