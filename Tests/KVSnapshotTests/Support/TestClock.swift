import Foundation
import KVSnapshot
import Synchronization

/// A wall clock that tests set and step (backwards too).
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_795_914_123.456)) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    /// `now` as RFC 3339, for a snapshot's time.
    var text: String { SnapshotTime.format(now) }

    func advance(_ seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    var function: @Sendable () -> Date { { self.now } }
}
