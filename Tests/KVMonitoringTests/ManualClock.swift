import Synchronization

/// A clock for tests: seconds that only move when the test says so.
final class ManualClock: Sendable {
    private let seconds = Mutex<Double>(0)

    /// The current time, for `MetricsRegistry(now:)`.
    var now: @Sendable () -> Double {
        { self.seconds.withLock { $0 } }
    }

    func advance(by delta: Double) {
        self.seconds.withLock { $0 += delta }
    }
}
