/// One member of the cluster (one heartbeat row of the shared store), as recorded in a snapshot.
public struct ClusterMemberSnapshot: Codable, Sendable, Equatable {
    /// The member's state at the snapshot's time.
    public enum State: String, Codable, Sendable, CaseIterable {
        /// Heartbeats arrive.
        case alive
        /// No heartbeat for three of its intervals.
        case missing
        /// Shut down cleanly.
        case left
    }

    /// The member's `node.id`.
    public var node: String
    /// Where the member serves its API (`cluster.advertise_url`).
    public var url: String
    public var version: String
    public var state: State
    /// The member's overall health at its last heartbeat (`healthy`, `degraded`, `unhealthy`).
    public var health: String
    /// When the member started (RFC 3339, UTC).
    public var startedAt: String
    /// The member's last heartbeat (RFC 3339, UTC).
    public var lastSeen: String

    public init(node: String, url: String, version: String, state: State, health: String, startedAt: String, lastSeen: String) {
        self.node = node
        self.url = url
        self.version = version
        self.state = state
        self.health = health
        self.startedAt = startedAt
        self.lastSeen = lastSeen
    }

    enum CodingKeys: String, CodingKey {
        case node, url, version, state, health
        case startedAt = "started_at"
        case lastSeen = "last_seen"
    }
}
