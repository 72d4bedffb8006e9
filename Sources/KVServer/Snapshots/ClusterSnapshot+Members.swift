import Foundation
import KVSnapshot
import KVStorage

extension ClusterSnapshot {
    /// The section recording `members`, each in its state at `time` (a member read alive whose heartbeats
    /// have since stopped is missing by now).
    init(members: [Member], at time: Date) {
        self.init(members: members.map { ClusterMemberSnapshot($0, at: time) })
    }
}

extension ClusterMemberSnapshot {
    init(_ member: Member, at time: Date) {
        let state: State = switch member.state(at: time) {
        case .alive: .alive
        case .missing: .missing
        case .left: .left
        }
        self.init(node: member.node, url: member.url, version: member.version, state: state, health: member.health,
                  startedAt: SnapshotTime.format(member.startedAt), lastSeen: SnapshotTime.format(member.lastSeen))
    }
}
