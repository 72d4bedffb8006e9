/// The members of the cluster as the node last read them from its shared store, as recorded in a
/// snapshot. Only a node on a shared store (the `postgres` engine) writes this section.
public struct ClusterSnapshot: Codable, Sendable, Equatable {
    /// Every member, by node id; empty before the node's first read of the store.
    public var members: [ClusterMemberSnapshot]

    public init(members: [ClusterMemberSnapshot]) {
        self.members = members
    }
}
