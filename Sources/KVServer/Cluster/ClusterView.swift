import Foundation
import KVMonitoring
import KVSnapshot
import KVStorage

/// This node's view of the cluster: the heartbeat rows of a shared store, or this node alone on a
/// local one. Builds this node's own row, keeps `kvstore_cluster_members{state}` up to date, and keeps
/// the members it last read for the snapshots.
struct ClusterView: Sendable {
    /// The shared store's rows; nil on a local engine.
    let registry: (any MemberRegistry)?
    let node: String
    let url: String
    let version: String
    let startedAt: Date
    let interval: Double
    let monitor: HealthMonitor
    let gauge: GaugeFamily?
    let now: @Sendable () -> Date
    /// What `members()` last read from the registry (``MembershipService`` reads every heartbeat).
    let lastRead = LastReadMembers()

    /// This node's row as of now.
    func ownRow(state: Member.State = .alive) -> Member {
        Member(
            node: node, url: url, version: version, startedAt: startedAt, lastSeen: now(), interval: interval,
            health: monitor.report().status.rawValue, state: state)
    }

    /// Every member with its state as of now, by node id; kept as the last read on a shared store.
    func members() async throws(StorageError) -> [Member] {
        guard let registry else { return [ownRow()] }
        let at = now()
        let members = try await registry.members().map { member in
            var member = member
            member.state = member.state(at: at)
            return member
        }
        lastRead.remember(members, readAt: at)
        return members
    }

    /// The snapshot's `cluster` section at `time`: the members last read, without waiting for the
    /// database; nil on a local engine (the section is absent there).
    func snapshotSection(at time: Date) -> ClusterSnapshot? {
        guard registry != nil else { return nil }
        return ClusterSnapshot(members: lastRead.current, at: time)
    }

    /// Sets the gauge from `members`.
    func record(_ members: [Member]) {
        guard let gauge else { return }
        for state in Member.State.allCases {
            gauge.labels(state.rawValue).set(Double(members.filter { $0.state == state }.count))
        }
    }
}
