import KVSnapshot
import Logging
import Synchronization

/// Holds every metric family of the process; register families at start-up, record through
/// their series handles, and read everything back with `snapshot()`.
///
/// Registration takes the registry's lock; series lookup takes only the family's lock; recording
/// on a counter, gauge or histogram handle is lock-free and allocation-free.
public final class MetricsRegistry: Sendable {
    /// The per-family series cap used when none is given.
    public static let defaultMaxSeriesPerFamily = 1000

    private struct State {
        var families: [String: any RegisteredFamily] = [:]
        /// The same families in name order, kept so at registration (a scrape sorting them spent
        /// 400,000 instructions comparing names).
        var byName: [ListedFamily] = []
        var collectors: [@Sendable () -> Void] = []

        mutating func add(_ family: any RegisteredFamily) {
            let name = family.descriptor.name
            families[name] = family
            let index = byName.firstIndex { $0.family.descriptor.name > name } ?? byName.endIndex
            byName.insert(ListedFamily(family), at: index)
        }
    }

    /// Distinct label sets a family may hold before new ones go to its `__overflow__` series.
    public let maxSeriesPerFamily: Int
    /// Seconds on a monotonic clock; drives summary windows.
    let now: @Sendable () -> Double
    let logger: Logger
    private let state: Mutex<State>
    private let droppedSeries: CounterFamily

    /// Creates an empty registry (apart from `kvstore_metrics_series_dropped_total`).
    ///
    /// - Parameters:
    ///   - maxSeriesPerFamily: the series cap of each family.
    ///   - logger: where misuse (a lookup with the wrong number of label values) is reported.
    ///   - now: seconds on a monotonic clock, injected so tests can move time; defaults to
    ///     `ContinuousClock`.
    public init(
        maxSeriesPerFamily: Int = MetricsRegistry.defaultMaxSeriesPerFamily,
        logger: Logger = Logger(label: "kvstore.metrics", factory: { _ in SwiftLogNoOpLogHandler() }),
        now: (@Sendable () -> Double)? = nil
    ) {
        self.maxSeriesPerFamily = maxSeriesPerFamily
        self.logger = logger
        self.now = now ?? Self.continuousClockSeconds()
        let dropped = KVMetrics.metricsSeriesDroppedTotal
        let droppedTable = SeriesTable<Counter>(
            familyName: dropped.name,
            labelNames: dropped.labelNames,
            maxSeries: .max,
            dropped: nil,
            logger: logger,
            makeSeries: { Counter() }
        )
        self.droppedSeries = CounterFamily(descriptor: dropped, table: droppedTable)
        var state = State()
        state.add(self.droppedSeries)
        self.state = Mutex(state)
    }

    /// Registers a counter family, or returns the one already registered with the same descriptor.
    public func registerCounter(_ descriptor: MetricDescriptor) throws(MetricsRegistryError) -> CounterFamily {
        try self.register(descriptor, as: .counter, shape: .plain, makeSeries: { Counter() }) {
            CounterFamily(descriptor: descriptor, table: $0)
        }
    }

    /// Registers a gauge family, or returns the one already registered with the same descriptor.
    public func registerGauge(_ descriptor: MetricDescriptor) throws(MetricsRegistryError) -> GaugeFamily {
        try self.register(descriptor, as: .gauge, shape: .plain, makeSeries: { Gauge() }) {
            GaugeFamily(descriptor: descriptor, table: $0)
        }
    }

    /// Registers a histogram family with fixed bucket upper bounds (a trailing `+Inf` is implied).
    public func registerHistogram(
        _ descriptor: MetricDescriptor,
        buckets: [Double] = HistogramFamily.defaultDurationBuckets
    ) throws(MetricsRegistryError) -> HistogramFamily {
        var bounds = buckets
        if bounds.last == .infinity { bounds.removeLast() }
        guard !bounds.isEmpty, bounds.allSatisfy(\.isFinite), zip(bounds, bounds.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw MetricsRegistryError(.invalidBuckets, metricName: descriptor.name, reason: "bounds must be finite and strictly increasing: \(buckets)")
        }
        let finalBounds = bounds
        return try self.register(
            descriptor,
            as: .histogram,
            shape: .histogram(upperBounds: finalBounds),
            makeSeries: { Histogram(upperBounds: finalBounds) }
        ) {
            HistogramFamily(descriptor: descriptor, upperBounds: finalBounds, table: $0)
        }
    }

    /// Registers a summary family reporting `quantiles` over a sliding `window`.
    ///
    /// The window is a ring of `ageBuckets` sub-windows, each keeping at most
    /// `maxSamplesPerBucket` samples, so memory per series is bounded.
    public func registerSummary(
        _ descriptor: MetricDescriptor,
        quantiles: [Double] = SummaryFamily.defaultQuantiles,
        window: Duration = SummaryFamily.defaultWindow,
        ageBuckets: Int = 5,
        maxSamplesPerBucket: Int = 500
    ) throws(MetricsRegistryError) -> SummaryFamily {
        let (whole, atto) = window.components
        let seconds = Double(whole) + Double(atto) * 1e-18
        guard seconds > 0, ageBuckets > 0, maxSamplesPerBucket > 0,
            quantiles.allSatisfy({ $0 >= 0 && $0 <= 1 }),
            zip(quantiles, quantiles.dropFirst()).allSatisfy({ $0 < $1 })
        else {
            throw MetricsRegistryError(.invalidQuantiles, metricName: descriptor.name, reason: "quantiles \(quantiles), window \(window)")
        }
        let now = self.now
        return try self.register(
            descriptor,
            as: .summary,
            shape: .summary(quantiles: quantiles, window: seconds),
            makeSeries: {
                Summary(quantiles: quantiles, window: seconds, ageBuckets: ageBuckets, maxSamplesPerBucket: maxSamplesPerBucket, now: now)
            }
        ) {
            SummaryFamily(descriptor: descriptor, quantiles: quantiles, windowSeconds: seconds, table: $0)
        }
    }

    /// Adds a closure run before every `snapshot()`, to refresh gauges read from elsewhere.
    public func addCollector(_ collect: @escaping @Sendable () -> Void) {
        self.state.withLock { $0.collectors.append(collect) }
    }

    /// Runs the collectors, then returns every family sorted by name, series sorted by labels.
    public func snapshot() -> [MetricFamilySnapshot] {
        collectedFamilies().map { $0.family.snapshot() }
    }

    /// Runs the collectors, then returns every family sorted by name (for an exposition written
    /// straight from the series).
    func collectedFamilies() -> [ListedFamily] {
        let collectors = self.state.withLock { $0.collectors }
        for collect in collectors {
            collect()
        }
        return self.state.withLock { $0.byName }
    }

    private func register<Family: RegisteredFamily, Series: AnyObject & Sendable>(
        _ descriptor: MetricDescriptor,
        as type: MetricType,
        shape: FamilyShape,
        makeSeries: @escaping @Sendable () -> Series,
        makeFamily: (SeriesTable<Series>) -> Family
    ) throws(MetricsRegistryError) -> Family {
        try Self.validate(descriptor, as: type)
        let result: Result<Family, MetricsRegistryError> = self.state.withLock { state in
            if let existing = state.families[descriptor.name] {
                if existing.descriptor == descriptor, existing.shape == shape, let family = existing as? Family {
                    return .success(family)
                }
                return .failure(
                    MetricsRegistryError(
                        .conflictingRegistration,
                        metricName: descriptor.name,
                        reason: "registered as \(existing.descriptor) \(existing.shape), now as \(descriptor) \(shape)"
                    )
                )
            }
            let table = SeriesTable(
                familyName: descriptor.name,
                labelNames: descriptor.labelNames,
                maxSeries: self.maxSeriesPerFamily,
                dropped: self.droppedSeries.labels(descriptor.name),
                logger: self.logger,
                makeSeries: makeSeries
            )
            let family = makeFamily(table)
            state.add(family)
            return .success(family)
        }
        return try result.get()
    }

    private static func validate(_ descriptor: MetricDescriptor, as type: MetricType) throws(MetricsRegistryError) {
        let name = descriptor.name
        guard descriptor.type == type else {
            throw MetricsRegistryError(.typeMismatch, metricName: name, reason: "descriptor says \(descriptor.type), registered as \(type)")
        }
        guard MetricNameValidation.isValidMetricName(name) else {
            throw MetricsRegistryError(.invalidName, metricName: name, reason: "not a valid metric name")
        }
        let reserved: Set<String> = type == .histogram ? ["le"] : type == .summary ? ["quantile"] : []
        var seen = Set<String>()
        for label in descriptor.labelNames {
            guard MetricNameValidation.isValidLabelName(label), !reserved.contains(label), seen.insert(label).inserted else {
                throw MetricsRegistryError(.invalidLabelName, metricName: name, reason: "label \(label) is invalid, reserved or repeated")
            }
        }
    }

    /// Seconds elapsed on `ContinuousClock` since this call.
    private static func continuousClockSeconds() -> @Sendable () -> Double {
        let clock = ContinuousClock()
        let origin = clock.now
        return {
            let (seconds, attoseconds) = origin.duration(to: clock.now).components
            return Double(seconds) + Double(attoseconds) * 1e-18
        }
    }
}
