import Synchronization

/// One summary series: quantiles over a sliding time window, plus a cumulative sum and count.
///
/// `observe` takes this series' own short lock (the window keeps samples); sum and count are
/// atomics. Summaries are meant for low-rate events (scrapes, health checks, snapshot writes),
/// not per-request paths, where a `Histogram` is the lock-free choice.
public final class Summary: Sendable {
    /// The quantiles reported, each in 0...1, in increasing order.
    public let quantiles: [Double]
    private let window: Mutex<SlidingQuantileWindow>
    private let now: @Sendable () -> Double
    private let countAtomic = Atomic<UInt64>(0)
    private let sumBits = Atomic<UInt64>(0.0.bitPattern)

    init(quantiles: [Double], window: Double, ageBuckets: Int, maxSamplesPerBucket: Int, now: @escaping @Sendable () -> Double) {
        self.quantiles = quantiles
        self.window = Mutex(SlidingQuantileWindow(window: window, ageBuckets: ageBuckets, maxSamplesPerBucket: maxSamplesPerBucket))
        self.now = now
    }

    /// Records one observation; NaN is ignored.
    public func observe(_ value: Double) {
        guard !value.isNaN else { return }
        let time = self.now()
        self.window.withLock { $0.insert(value, at: time) }
        self.countAtomic.wrappingAdd(1, ordering: .relaxed)
        self.sumBits.addDouble(value)
    }

    /// Records a duration in seconds.
    public func observe(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.observe(Double(seconds) + Double(attoseconds) * 1e-18)
    }

    /// The current value of each quantile (NaN when the window is empty), the sum and the count.
    public var state: (quantileValues: [Double], sum: Double, count: UInt64) {
        let time = self.now()
        let values = self.window.withLock { $0.quantiles(self.quantiles, at: time) }
        return (values, self.sumBits.loadDouble(), self.countAtomic.load(ordering: .relaxed))
    }
}
