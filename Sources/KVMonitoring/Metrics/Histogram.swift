import Synchronization

/// One histogram series: observations counted into fixed buckets, recorded lock-free.
///
/// `@unchecked Sendable`: the only non-`Sendable` stored property is a pointer to atomics that
/// is allocated once in `init`, never reassigned, only accessed through atomic operations, and
/// freed in `deinit`.
public final class Histogram: @unchecked Sendable {
    /// Finite bucket upper bounds in increasing order; `+Inf` is implicit.
    public let upperBounds: [Double]
    /// Per-bucket (non-cumulative) counts; index `upperBounds.count` is the `+Inf` bucket.
    private let counts: UnsafeMutablePointer<Atomic<UInt64>>
    private let slotCount: Int
    private let sumBits = Atomic<UInt64>(0.0.bitPattern)

    init(upperBounds: [Double]) {
        self.upperBounds = upperBounds
        self.slotCount = upperBounds.count + 1
        self.counts = .allocate(capacity: self.slotCount)
        for index in 0..<self.slotCount {
            (self.counts + index).initialize(to: Atomic<UInt64>(0))
        }
    }

    deinit {
        self.counts.deinitialize(count: self.slotCount)
        self.counts.deallocate()
    }

    /// Records one observation; NaN is ignored.
    @inline(__always)
    public func observe(_ value: Double) {
        guard !value.isNaN else { return }
        let index = self.bucketIndex(for: value)
        self.counts[index].wrappingAdd(1, ordering: .relaxed)
        // Adding zero changes nothing (a sum starts at +0.0); skipping it saves a contended CAS
        // for the many bodiless requests whose size is 0.
        if value != 0 { self.sumBits.addDouble(value) }
    }

    /// Records a duration in seconds.
    @inline(__always)
    public func observe(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.observe(Double(seconds) + Double(attoseconds) * 1e-18)
    }

    /// Cumulative bucket counts (the last one is `+Inf`), the sum and the count, read together.
    public var state: (cumulativeCounts: [UInt64], sum: Double, count: UInt64) {
        var cumulative = [UInt64]()
        cumulative.reserveCapacity(self.slotCount)
        var running: UInt64 = 0
        for index in 0..<self.slotCount {
            running &+= self.counts[index].load(ordering: .relaxed)
            cumulative.append(running)
        }
        return (cumulative, self.sumBits.loadDouble(), running)
    }

    /// The first bucket whose upper bound is at least `value`, or the `+Inf` bucket.
    @inline(__always)
    private func bucketIndex(for value: Double) -> Int {
        var low = 0
        var high = self.upperBounds.count
        while low < high {
            let mid = (low &+ high) >> 1
            if self.upperBounds[mid] < value {
                low = mid &+ 1
            } else {
                high = mid
            }
        }
        return low
    }
}
