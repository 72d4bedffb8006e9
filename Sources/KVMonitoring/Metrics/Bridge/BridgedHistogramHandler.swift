import CoreMetrics

/// A swift-metrics timer (in seconds) or aggregating recorder recording into a registry `Histogram`.
final class BridgedHistogramHandler: RecorderHandler, TimerHandler {
    private let histogram: Histogram

    init(_ histogram: Histogram) {
        self.histogram = histogram
    }

    func record(_ value: Int64) {
        self.histogram.observe(Double(value))
    }

    func record(_ value: Double) {
        self.histogram.observe(value)
    }

    func recordNanoseconds(_ duration: Int64) {
        self.histogram.observe(Double(duration) / 1_000_000_000)
    }
}
