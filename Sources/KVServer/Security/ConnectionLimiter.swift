import Synchronization

/// Counts one listener's open connections against `security.max_connections`, lock-free.
///
/// Refused connections are counted apart: each may linger a moment to deliver its `503`,
/// and at most `lingerLimit` do so at once; beyond that they are closed at once.
final class ConnectionLimiter: Sendable {
    let limit: Int
    let lingerLimit: Int
    private let open = Atomic<Int>(0)
    private let lingering = Atomic<Int>(0)
    private let refusedTotal = Atomic<Int>(0)
    private let timedOutTotal = Atomic<Int>(0)

    init(limit: Int, lingerLimit: Int? = nil) {
        self.limit = max(1, limit)
        self.lingerLimit = lingerLimit ?? max(64, min(self.limit, 1024))
    }

    /// Takes a slot for a new connection; false (and nothing taken) when all are in use.
    func acquire() -> Bool {
        if open.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue <= limit { return true }
        open.wrappingSubtract(1, ordering: .acquiringAndReleasing)
        refusedTotal.wrappingAdd(1, ordering: .relaxed)
        return false
    }

    func release() {
        open.wrappingSubtract(1, ordering: .acquiringAndReleasing)
    }

    /// Lets a refused connection stay open briefly to say `503`; false when too many already do.
    func beginLinger() -> Bool {
        if lingering.wrappingAdd(1, ordering: .relaxed).newValue <= lingerLimit { return true }
        lingering.wrappingSubtract(1, ordering: .relaxed)
        return false
    }

    func endLinger() {
        lingering.wrappingSubtract(1, ordering: .relaxed)
    }

    func recordTimeout() {
        timedOutTotal.wrappingAdd(1, ordering: .relaxed)
    }

    /// Connections holding a slot now.
    var openConnections: Int { open.load(ordering: .relaxed) }
    /// Connections refused since start.
    var refusedConnections: Int { refusedTotal.load(ordering: .relaxed) }
    /// Connections closed because a request did not arrive in time, since start.
    var timedOutConnections: Int { timedOutTotal.load(ordering: .relaxed) }
}
