import KVSnapshot

/// Everything `SeriesStore` takes from one snapshot, read from it alone: the counters and
/// histograms by series, the gauges, the health states. Taking them is most of what appending
/// costs, and needs no other snapshot, so an archive's files are read into readings in parallel
/// (`SnapshotArchive.forEach(transform:)`), and only the differences between neighbours are
/// taken in order.
public struct SnapshotReadings: Sendable {
    /// The metric families the readings take (and so the only ones the dashboard reads of a file).
    public static let families: Set<String> = Set([
        KVMetricName.httpRequestsTotal, .requestDurationSeconds, .storageOperationsTotal, .storageCommitBatchSize,
        .storageOperationDurationSeconds, .processResidentMemoryBytes, .threads, .storageSizeBytes, .storageKeys,
    ].map(\.rawValue))

    var time: Double
    var uptimeSeconds: Double
    var requests: CounterReading
    var latency: HistogramReading
    var routes: RouteReadings
    var statusClasses: StatusClassReadings
    var storage: StorageReadings
    var memoryBytes: Double
    var threads: Double
    var storageBytes: Double
    var keys: Double
    /// Each check's name and status, by name.
    var checks: [(name: String, status: HealthStatusCode)]
    var overallHealth: HealthStatusCode
    /// The names of the alerts in state `firing` (not `pending`), sorted, without repeats.
    var firingAlerts: [String]
    /// The alerts pending or firing, by name (one per name: the first the snapshot lists).
    var alerts: [ActiveAlert]
    /// Every alert rule's value at the snapshot, active or not, by name (the snapshot's `rule_values`).
    var ruleValues: [AlertRuleValue]

    public init(_ snapshot: Snapshot) {
        time = snapshot.time.timeIntervalSince1970
        uptimeSeconds = snapshot.uptimeSeconds
        (requests, latency, routes, statusClasses) = Self.requestReadings(snapshot)
        storage = StorageReadings(snapshot)
        memoryBytes = snapshot.gaugeSum(named: .processResidentMemoryBytes) ?? snapshot.health.system.residentMemoryBytes
        threads = snapshot.gaugeSum(named: .threads) ?? Double(snapshot.health.system.threads)
        storageBytes = snapshot.gaugeSum(named: .storageSizeBytes) ?? snapshot.storage.map { Double($0.bytesInUse) } ?? .nan
        keys = snapshot.gaugeSum(named: .storageKeys) ?? snapshot.storage.map { Double($0.entries) } ?? .nan
        checks = snapshot.health.checks.map { ($0.key, HealthStatusCode($0.value.status)) }.sorted { $0.name < $1.name }
        overallHealth = HealthStatusCode(snapshot.health.status)
        firingAlerts = snapshot.alerts.isEmpty ? [] : Array(Set(snapshot.alerts.filter { $0.state == .firing }.map(\.name))).sorted()
        alerts = snapshot.alerts.isEmpty ? [] : ActiveAlert.readings(of: snapshot.alerts)
        var seen: Set<String> = []
        ruleValues = snapshot.ruleValues.isEmpty ? [] : snapshot.ruleValues.filter { seen.insert($0.name).inserted }.sorted { $0.name < $1.name }
    }

    /// The request counter and latency histogram as a whole, by route and (the counter) by status
    /// class, in one pass over each family: every sample's `SeriesKey` is made once, where reading
    /// each split from its own grouped copy of the family had made it three times.
    private static func requestReadings(_ snapshot: Snapshot)
        -> (CounterReading, HistogramReading, RouteReadings, StatusClassReadings) {
        var all: [String: CounterReading.Series] = [:]
        var byRoute: [RouteReadings.Route: [String: CounterReading.Series]] = [:]
        var byClass: [String: [String: CounterReading.Series]] = [:]
        for sample in snapshot.family(named: .httpRequestsTotal)?.samples ?? [] {
            // A route or class is known from its samples even when none has a value (as a split does).
            let route = RouteReadings.route(of: sample), statusClass = StatusClassReadings.statusClass(sample)
            guard let value = sample.value, value.isFinite else {
                byRoute[route, default: [:]].reserveCapacity(0)
                if let statusClass { byClass[statusClass, default: [:]].reserveCapacity(0) }
                continue
            }
            let key = SeriesKey.make(sample.labels)
            let series = CounterReading.Series(value: value, isPart: SeriesMath.isServerError(sample))
            all[key] = series
            byRoute[route, default: [:]][key] = series
            if let statusClass { byClass[statusClass, default: [:]][key] = CounterReading.Series(value: value, isPart: false) }
        }
        var histograms: [String: HistogramReading.Series] = [:]
        var histogramsByRoute: [RouteReadings.Route: [String: HistogramReading.Series]] = [:]
        for sample in snapshot.family(named: .requestDurationSeconds)?.samples ?? [] {
            let route = RouteReadings.route(of: sample)
            guard let buckets = sample.buckets, !buckets.isEmpty else {
                histogramsByRoute[route, default: [:]].reserveCapacity(0)
                continue
            }
            let key = SeriesKey.make(sample.labels)
            let series = HistogramReading.Series(buckets: buckets, count: sample.count)
            histograms[key] = series
            histogramsByRoute[route, default: [:]][key] = series
        }
        return (CounterReading(series: all), HistogramReading(series: histograms),
                RouteReadings(requests: byRoute.mapValues(CounterReading.init(series:)),
                              latency: histogramsByRoute.mapValues(HistogramReading.init(series:))),
                StatusClassReadings(requests: byClass.mapValues(CounterReading.init(series:))))
    }
}

/// An alert pending or firing at one snapshot: the value its rule tested and the threshold it was
/// tested against (when the snapshot records one), for the page's "why it fired" charts.
public struct ActiveAlert: Sendable, Equatable {
    public var name: String
    public var firing: Bool
    public var value: Double
    public var threshold: Double?

    /// One per name, sorted by name (the first of a name the snapshot lists).
    static func readings(of alerts: [AlertSnapshot]) -> [ActiveAlert] {
        var seen: Set<String> = []
        return alerts.filter { seen.insert($0.name).inserted }
            .map { ActiveAlert(name: $0.name, firing: $0.state == .firing, value: $0.value, threshold: $0.threshold) }
            .sorted { $0.name < $1.name }
    }
}
