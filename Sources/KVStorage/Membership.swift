import Foundation

/// One node of a cluster as its heartbeat row records it.
public struct Member: Sendable, Equatable {
    /// What the row says; `missing` is derived by the reader, never stored.
    public enum State: String, Sendable, CaseIterable {
        /// Heartbeats arrive.
        case alive
        /// No heartbeat for `Member.missingAfter` intervals.
        case missing
        /// Shut down cleanly.
        case left
    }

    public var node: String
    /// Where the node serves its API (`cluster.advertise_url`).
    public var url: String
    public var version: String
    public var startedAt: Date
    public var lastSeen: Date
    /// Seconds between the node's heartbeats.
    public var interval: Double
    /// The node's overall health at its last heartbeat (`healthy`, `degraded`, `unhealthy`).
    public var health: String
    public var state: State

    /// Heartbeats a node may miss before it counts as missing.
    public static let missingAfter = 3.0

    public init(node: String, url: String, version: String, startedAt: Date, lastSeen: Date, interval: Double, health: String, state: State) {
        self.node = node
        self.url = url
        self.version = version
        self.startedAt = startedAt
        self.lastSeen = lastSeen
        self.interval = interval
        self.health = health
        self.state = state
    }

    /// The state at `now`: an `alive` row whose last heartbeat is older than `missingAfter` intervals is `missing`.
    public func state(at now: Date) -> State {
        guard state == .alive else { return state }
        return now.timeIntervalSince(lastSeen) > Self.missingAfter * interval ? .missing : .alive
    }
}

/// A store that several nodes share keeps their heartbeat rows: the cluster's membership.
public protocol MemberRegistry: Sendable {
    /// Writes this node's row (`member.state` is `alive`, or `left` at a clean shutdown).
    func heartbeat(_ member: Member) async throws(StorageError)
    /// Every row, by node id.
    func members() async throws(StorageError) -> [Member]
}
