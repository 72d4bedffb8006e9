import Synchronization

/// One gauge series: a value that can go up and down, recorded lock-free.
public final class Gauge: Sendable {
    private let bits = Atomic<UInt64>(0.0.bitPattern)

    init() {}

    /// Replaces the value.
    @inline(__always)
    public func set(_ value: Double) {
        self.bits.storeDouble(value)
    }

    /// Replaces the value with an integer.
    @inline(__always)
    public func set(_ value: Int) {
        self.bits.storeDouble(Double(value))
    }

    /// Adds `amount` (may be negative).
    @inline(__always)
    public func increment(by amount: Double = 1) {
        self.bits.addDouble(amount)
    }

    /// Subtracts `amount`.
    @inline(__always)
    public func decrement(by amount: Double = 1) {
        self.bits.addDouble(-amount)
    }

    /// The current value.
    public var value: Double {
        self.bits.loadDouble()
    }
}
