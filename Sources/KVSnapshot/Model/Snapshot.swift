import Foundation

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
    /// When it was taken. The document holds it as RFC 3339, UTC, milliseconds
    /// (`2026-11-29T01:02:03.456Z`, see `SnapshotTime`); it is parsed once, when decoding.
    public var time: Date
    public var version: String
    public var uptimeSeconds: Double
    public var health: HealthReport
    /// Every metric family with all its samples, sorted by name.
    public var metrics: [MetricFamilySnapshot]
    public var storage: StorageSnapshot?
    /// Pending and firing alerts.
    public var alerts: [AlertSnapshot]
    /// The cluster's members; nil (no `cluster` key) unless the node's store is shared.
    public var cluster: ClusterSnapshot?
    /// Every alert rule's value at the snapshot's evaluation, active or not (`rule_values`; empty in
    /// snapshots written before it, or with alerts off).
    public var ruleValues: [AlertRuleValue] = []

    public init(schema: String = Snapshot.currentSchema, sequence: UInt64, nodeID: String, time: Date, version: String,
                uptimeSeconds: Double, health: HealthReport, metrics: [MetricFamilySnapshot], storage: StorageSnapshot?,
                alerts: [AlertSnapshot], cluster: ClusterSnapshot? = nil, ruleValues: [AlertRuleValue] = []) {
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
        self.cluster = cluster
        self.ruleValues = ruleValues
    }

    enum CodingKeys: String, CodingKey {
        case schema, sequence, time, version, health, metrics, storage, alerts, cluster
        case nodeID = "node_id"
        case uptimeSeconds = "uptime_seconds"
        case ruleValues = "rule_values"
    }

    /// Decodes the fields in declaration order; a `time` that is not RFC 3339 throws
    /// `SnapshotError` (`.invalid`) once every other field has decoded.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schema = try container.decode(String.self, forKey: .schema)
        sequence = try container.decode(UInt64.self, forKey: .sequence)
        nodeID = try container.decode(String.self, forKey: .nodeID)
        let timeText = try container.decode(String.self, forKey: .time)
        version = try container.decode(String.self, forKey: .version)
        uptimeSeconds = try container.decode(Double.self, forKey: .uptimeSeconds)
        health = try container.decode(HealthReport.self, forKey: .health)
        metrics = try container.decode([MetricFamilySnapshot].self, forKey: .metrics)
        storage = try container.decodeIfPresent(StorageSnapshot.self, forKey: .storage)
        alerts = try container.decode([AlertSnapshot].self, forKey: .alerts)
        cluster = try container.decodeIfPresent(ClusterSnapshot.self, forKey: .cluster)
        ruleValues = try container.decodeIfPresent([AlertRuleValue].self, forKey: .ruleValues) ?? []
        guard let time = SnapshotTime.parse(timeText) else {
            throw SnapshotError(.invalid, message: "time \"\(timeText)\" is not an RFC 3339 date-time")
        }
        self.time = time
    }

    /// Encodes every field; `time` as `SnapshotTime.format` writes it, no `storage` or `cluster` key
    /// when nil, and no `rule_values` when empty.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schema, forKey: .schema)
        try container.encode(sequence, forKey: .sequence)
        try container.encode(nodeID, forKey: .nodeID)
        try container.encode(SnapshotTime.format(time), forKey: .time)
        try container.encode(version, forKey: .version)
        try container.encode(uptimeSeconds, forKey: .uptimeSeconds)
        try container.encode(health, forKey: .health)
        try container.encode(metrics, forKey: .metrics)
        try container.encodeIfPresent(storage, forKey: .storage)
        try container.encode(alerts, forKey: .alerts)
        try container.encodeIfPresent(cluster, forKey: .cluster)
        if !ruleValues.isEmpty { try container.encode(ruleValues, forKey: .ruleValues) }
    }
}
