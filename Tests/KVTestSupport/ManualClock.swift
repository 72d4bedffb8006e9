import Synchronization

/// A clock that only moves when a test moves it: what a service sleeps on in a test instead of real time.
///
/// A `sleep` suspends until `advance` reaches its deadline (or its task is cancelled); `sleepers`
/// says how many are waiting, so a test can wait for a service to be idle before moving time.
/// `seconds` reads the same time as a number, for components that take a `() -> Double`.
public final class ManualClock: Clock, Sendable {
    public struct Instant: InstantProtocol {
        public let offset: Duration
        public init(offset: Duration) { self.offset = offset }
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        let id: Int
        let deadline: Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Sleeper] = []
        var nextID = 0
        var requested: [Duration] = []
    }

    private let state = Mutex(State())

    public init() {}

    public var now: Instant { state.withLock { $0.now } }
    public var minimumResolution: Duration { .nanoseconds(1) }

    /// The time in seconds since the clock was made.
    public var seconds: @Sendable () -> Double {
        { let offset = self.now.offset.components; return Double(offset.seconds) + Double(offset.attoseconds) / 1e18 }
    }

    /// How many sleeps are waiting.
    public var sleepers: Int { state.withLock { $0.sleepers.count } }

    /// The deadlines of the waiting sleeps, as offsets from the clock's start, earliest first.
    public var deadlines: [Duration] { state.withLock { $0.sleepers.map(\.deadline.offset).sorted() } }

    /// Every sleep asked for so far, as the time from `now` to its deadline, in order.
    public var requestedSleeps: [Duration] { state.withLock { $0.requested } }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: (any Error)?? = state.withLock { state in
                    state.requested.append(state.now.duration(to: deadline))
                    if Task.isCancelled { return .some(CancellationError()) }
                    if deadline <= state.now { return .some(nil) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return .none
                }
                switch resumeNow {
                case .some(.some(let error)): continuation.resume(throwing: error)
                case .some(.none): continuation.resume()
                case .none: break
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleep whose deadline it reaches.
    public func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// `advance(by:)` in seconds.
    public func advance(by seconds: Double) {
        advance(by: Duration.nanoseconds(Int64((seconds * 1e9).rounded())))
    }

    /// Waits (on real time, up to `timeout`) until something sleeps, then moves time to the earliest
    /// deadline; false if nothing slept in time.
    @discardableResult
    public func advanceToNextDeadline(timeout: Duration = .seconds(30)) async -> Bool {
        guard await eventually(timeout: timeout, { self.sleepers > 0 }) else { return false }
        let next = state.withLock { state in state.sleepers.map(\.deadline).min() }
        if let next { advance(by: now.duration(to: next)) }
        return true
    }
}
