import Synchronization

/// One counter series: a monotonically increasing total, recorded lock-free.
public final class Counter: Sendable {
    /// Whole-number increments, kept apart so the common `+1` is a single atomic add.
    private let integral = Atomic<UInt64>(0)
    /// Fractional increments, as a `Double` bit pattern.
    private let fractional = Atomic<UInt64>(0)

    init() {}

    /// Adds `amount`; negative amounts are ignored, as counters never go down.
    @inline(__always)
    public func increment(by amount: Int = 1) {
        guard amount > 0 else { return }
        self.integral.wrappingAdd(UInt64(amount), ordering: .relaxed)
    }

    /// Adds `amount`; negative, NaN and infinite amounts are ignored.
    public func increment(by amount: Double) {
        guard amount > 0, amount.isFinite else { return }
        if amount < 9_007_199_254_740_992, amount.rounded(.towardZero) == amount {
            self.integral.wrappingAdd(UInt64(amount), ordering: .relaxed)
        } else {
            self.fractional.addDouble(amount)
        }
    }

    /// Replaces the total with one kept elsewhere (a collector mirroring `/proc` CPU time, say).
    public func set(total: Double) {
        guard total >= 0, total.isFinite else { return }
        self.integral.store(0, ordering: .relaxed)
        self.fractional.storeDouble(total)
    }

    /// The current total.
    public var value: Double {
        Double(self.integral.load(ordering: .relaxed)) + self.fractional.loadDouble()
    }

    /// Sets the total back to zero (swift-metrics `reset()`).
    func reset() {
        self.integral.store(0, ordering: .relaxed)
        self.fractional.storeDouble(0)
    }
}
