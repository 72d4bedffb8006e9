import Foundation
import Hummingbird
import KVSnapshot
import KVStorage

/// `GET /api/v1/cluster`: the nodes sharing this node's store, with their state.
struct ClusterRoutes: RouteGroup {
    static var routes: [Route<Self>] { RouteTable.cluster }
    let view: ClusterView

    func list() async throws -> Response {
        let members: [Member]
        do { members = try await view.members() } catch { throw APIError(error) }
        view.record(members)
        let rows: [JSONObject] = members.map { member in
            [
                "node": member.node, "url": member.url, "version": member.version, "state": member.state.rawValue,
                "health": member.health, "started_at": SnapshotTime.format(member.startedAt),
                "last_seen": SnapshotTime.format(member.lastSeen), "heartbeat_interval_seconds": member.interval,
            ]
        }
        return try JSONBody.response(status: .ok, [
            "node": view.node, "shared": view.registry != nil, "members": rows,
        ] as JSONObject)
    }
}
