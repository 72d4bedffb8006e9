import Foundation
import PostgresNIO

/// The heartbeat rows of `kv_members`: one per node, written every interval, read by every node.
/// A row not written for `forgetAfter` is deleted (a node that left or died long ago).
extension PostgresStore: MemberRegistry {
    static let forgetAfter: Double = 86_400

    public func heartbeat(_ member: Member) async throws(StorageError) {
        let schema = schema, logger = logger
        let forget = ExpiryTime.milliseconds(member.lastSeen) - Int64(Self.forgetAfter * 1000)
        let binds = PostgresSchema.binds(
            member.node, member.url, member.version, ExpiryTime.milliseconds(member.startedAt), ExpiryTime.milliseconds(member.lastSeen),
            Int64(member.interval * 1000), member.health, member.state.rawValue)
        try await run(.heartbeat) { connection in
            try await connection.query(PostgresQuery(
                unsafeSQL: """
                    INSERT INTO \(schema.members) (node, url, version, started_at_ms, last_seen_ms, interval_ms, health, state) \
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (node) DO UPDATE SET url = excluded.url, \
                    version = excluded.version, started_at_ms = excluded.started_at_ms, last_seen_ms = excluded.last_seen_ms, \
                    interval_ms = excluded.interval_ms, health = excluded.health, state = excluded.state
                    """, binds: binds), logger: logger)
            try await connection.query(PostgresQuery(
                unsafeSQL: "DELETE FROM \(schema.members) WHERE last_seen_ms < $1",
                binds: PostgresSchema.binds(forget)), logger: logger)
        }
    }

    public func members() async throws(StorageError) -> [Member] {
        let schema = schema, logger = logger
        return try await run(.members) { connection in
            var members: [Member] = []
            for try await (node, url, version, started, seen, interval, health, state) in try await connection.query(PostgresQuery(
                unsafeSQL: """
                    SELECT node, url, version, started_at_ms, last_seen_ms, interval_ms, health, state FROM \(schema.members) ORDER BY node
                    """), logger: logger
            ).decode((String, String, String, Int64, Int64, Int64, String, String).self) {
                members.append(Member(
                    node: node, url: url, version: version, startedAt: Date(timeIntervalSince1970: Double(started) / 1000),
                    lastSeen: Date(timeIntervalSince1970: Double(seen) / 1000), interval: Double(interval) / 1000, health: health,
                    state: Member.State(rawValue: state) ?? .alive))
            }
            return members
        }
    }
}
