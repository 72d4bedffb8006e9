import CoreMetrics

/// A swift-metrics meter or non-aggregating recorder recording into a registry `Gauge`.
final class BridgedGaugeHandler: MeterHandler, RecorderHandler {
    private let gauge: Gauge

    init(_ gauge: Gauge) {
        self.gauge = gauge
    }

    func set(_ value: Int64) {
        self.gauge.set(Double(value))
    }

    func set(_ value: Double) {
        self.gauge.set(value)
    }

    func increment(by amount: Double) {
        self.gauge.increment(by: amount)
    }

    func decrement(by amount: Double) {
        self.gauge.decrement(by: amount)
    }

    func record(_ value: Int64) {
        self.gauge.set(Double(value))
    }

    func record(_ value: Double) {
        self.gauge.set(value)
    }
}
