import CoreMetrics

/// A swift-metrics counter (integer or floating-point) recording into a registry `Counter`.
final class BridgedCounterHandler: CounterHandler, FloatingPointCounterHandler {
    private let counter: Counter

    init(_ counter: Counter) {
        self.counter = counter
    }

    func increment(by amount: Int64) {
        self.counter.increment(by: Int(amount))
    }

    func increment(by amount: Double) {
        self.counter.increment(by: amount)
    }

    func reset() {
        self.counter.reset()
    }
}
