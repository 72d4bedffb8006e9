import Synchronization

/// A `Double` stored as its bit pattern in an `Atomic<UInt64>`.
extension Atomic where Value == UInt64 {
    /// Adds `delta` with a compare-and-exchange loop; lock-free and allocation-free.
    @inline(__always)
    func addDouble(_ delta: Double) {
        var current = self.load(ordering: .relaxed)
        while true {
            let desired = (Double(bitPattern: current) + delta).bitPattern
            let (exchanged, original) = self.weakCompareExchange(
                expected: current,
                desired: desired,
                ordering: .relaxed
            )
            if exchanged { return }
            current = original
        }
    }

    /// Reads the stored `Double`.
    @inline(__always)
    func loadDouble() -> Double {
        Double(bitPattern: self.load(ordering: .relaxed))
    }

    /// Replaces the stored `Double`.
    @inline(__always)
    func storeDouble(_ value: Double) {
        self.store(value.bitPattern, ordering: .relaxed)
    }
}
