import Foundation
import KVStorage
import Synchronization

/// The members as the last successful read of the shared store returned them (every heartbeat reads
/// them), so that a snapshot can record them without waiting for the database.
final class LastReadMembers: Sendable {
    private let last = Mutex<(members: [Member], readAt: Date)>(([], .distantPast))

    /// The last members read; empty before the first read.
    var current: [Member] { last.withLock { $0.members } }

    /// Keeps `members`, read at `readAt`, unless a read that started later has already been kept
    /// (two reads may finish out of order: a heartbeat's and `GET /api/v1/cluster`'s).
    func remember(_ members: [Member], readAt: Date) {
        last.withLock { last in
            if readAt >= last.readAt { last = (members, readAt) }
        }
    }
}
