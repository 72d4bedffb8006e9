import KVSnapshot
import CoreMetrics
import Logging

/// A swift-metrics `MetricsFactory` that records into a `MetricsRegistry`, so libraries that
/// report through swift-metrics appear in the same exposition.
///
/// Labels become metric names (invalid characters → `_`; counters get `_total`, timers
/// `_seconds`); dimensions become labels, sorted by name. Counters and floating-point counters
/// are counters; meters and non-aggregating recorders are gauges; aggregating recorders and
/// timers (in seconds) are histograms. A label whose shape conflicts with an existing family is
/// logged and gets a no-op handler rather than a crash.
public struct KVMetricsFactory: MetricsFactory {
    private let registry: MetricsRegistry
    private let timerBuckets: [Double]
    private let recorderBuckets: [Double]
    private let logger: Logger

    /// Creates a factory over `registry`.
    public init(
        registry: MetricsRegistry,
        timerBuckets: [Double] = HistogramFamily.defaultDurationBuckets,
        recorderBuckets: [Double] = HistogramFamily.defaultDurationBuckets,
        logger: Logger = Logger(label: "kvstore.metrics", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.registry = registry
        self.timerBuckets = timerBuckets
        self.recorderBuckets = recorderBuckets
        self.logger = logger
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        self.series(
            label, dimensions, type: .counter, suffix: "_total", kind: "counter",
            fallback: NOOPMetricsHandler.instance
        ) { registry, descriptor, values in
            BridgedCounterHandler(try registry.registerCounter(descriptor).labels(values: values))
        }
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        self.series(
            label, dimensions, type: .counter, suffix: "_total", kind: "counter",
            fallback: NOOPMetricsHandler.instance
        ) { registry, descriptor, values in
            BridgedCounterHandler(try registry.registerCounter(descriptor).labels(values: values))
        }
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        self.series(
            label, dimensions, type: .gauge, suffix: nil, kind: "gauge",
            fallback: NOOPMetricsHandler.instance
        ) { registry, descriptor, values in
            BridgedGaugeHandler(try registry.registerGauge(descriptor).labels(values: values))
        }
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        if aggregate {
            let buckets = self.recorderBuckets
            return self.series(
                label, dimensions, type: .histogram, suffix: nil, kind: "histogram",
                fallback: NOOPMetricsHandler.instance
            ) { registry, descriptor, values in
                BridgedHistogramHandler(try registry.registerHistogram(descriptor, buckets: buckets).labels(values: values))
            }
        }
        return self.series(
            label, dimensions, type: .gauge, suffix: nil, kind: "gauge",
            fallback: NOOPMetricsHandler.instance
        ) { registry, descriptor, values in
            BridgedGaugeHandler(try registry.registerGauge(descriptor).labels(values: values))
        }
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        let buckets = self.timerBuckets
        return self.series(
            label, dimensions, type: .histogram, suffix: "_seconds", kind: "timer", unit: "seconds",
            fallback: NOOPMetricsHandler.instance
        ) { registry, descriptor, values in
            BridgedHistogramHandler(try registry.registerHistogram(descriptor, buckets: buckets).labels(values: values))
        }
    }

    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyMeter(_ handler: any MeterHandler) {}
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}

    /// Maps a swift-metrics label and dimensions to a descriptor and label values, then makes
    /// the handler, falling back to a no-op handler if registration fails.
    private func series<Handler>(
        _ label: String,
        _ dimensions: [(String, String)],
        type: MetricType,
        suffix: String?,
        kind: String,
        unit: String? = nil,
        fallback: Handler,
        make: (MetricsRegistry, MetricDescriptor, [String]) throws -> Handler
    ) -> Handler {
        var name = MetricNameValidation.sanitized(label, allowColon: false)
        if let suffix, !name.hasSuffix(suffix) { name += suffix }
        let sorted = dimensions
            .map { (MetricNameValidation.sanitized($0.0, allowColon: false), $0.1) }
            .sorted { $0.0 < $1.0 }
        let descriptor = MetricDescriptor(
            name: name,
            help: "swift-metrics \(kind) \(label)",
            type: type,
            labelNames: sorted.map(\.0),
            unit: unit
        )
        do {
            return try make(self.registry, descriptor, sorted.map(\.1))
        } catch {
            self.logger.warning(
                "swift-metrics handler not recorded: its shape conflicts with a registered metric",
                metadata: ["label": "\(label)", "error": "\(error)"]
            )
            return fallback
        }
    }
}
