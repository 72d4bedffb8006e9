import KVSnapshot

/// The dashboard's time series, extended one snapshot at a time.
///
/// Appending is O(1) amortised in the length of the history (it looks only at the new snapshot
/// and the state kept from the previous one), and points older than `retention` before the newest
/// are dropped, so a server can keep one store alive and never re-read its archive.
public struct SeriesStore: Sendable {
    /// How far back from the newest point to keep (seconds); nil keeps everything.
    public var retention: Double?
    /// The health checks seen so far, in order of first appearance.
    public private(set) var checkNames: [String] = []
    /// The newest snapshot appended, for the page's "now" sections.
    public private(set) var latest: Snapshot?
    /// The time of the oldest snapshot known to exist (seconds since 1970): the first appended, or an
    /// older one noted with `noteHistory(since:)`. Kept when old points are dropped, so that a range
    /// starts at the oldest snapshot only when the history really is shorter.
    public private(set) var historyStart: Double?

    private var storage: [SeriesPoint] = []
    private var head = 0
    private var checkIndex: [String: Int] = [:]
    private var previousRequests: CounterReading?
    private var previousLatency: HistogramReading?
    private var previousRoutes: RouteReadings?
    private var previousStatusClasses: StatusClassReadings?
    private var previousStorage: StorageReadings?
    /// The routes seen so far (method and route label), in order of first appearance.
    private(set) var routeNames: [RouteReadings.Route] = []
    private var routeIndex: [RouteReadings.Route: Int] = [:]
    /// Each route's latest bucket bounds, shared by its points' increases.
    private var routeBounds: [[Double]] = []
    /// The alert rules the points have values of (see `ruleValues(of:)`), in order of first appearance, and each one's latest threshold.
    private(set) var ruleNames: [String] = []
    private(set) var ruleThresholds: [Double] = []
    private var ruleIndex: [String: Int] = [:]
    private var gaps = GapDetector()
    private var previousUptime: Double?

    /// An empty store.
    public init(retention: Double? = nil) {
        self.retention = retention
    }

    /// A store holding `snapshots` (in any order; sorted by time first).
    public init(snapshots: [Snapshot], retention: Double? = nil) {
        self.retention = retention
        for snapshot in snapshots.sorted(by: { $0.time < $1.time }) {
            append(snapshot)
        }
    }

    /// The points kept, oldest first.
    public var points: ArraySlice<SeriesPoint> { storage[head...] }

    /// The median time between recent snapshots; nil with fewer than two.
    public var typicalInterval: Double? { gaps.typicalInterval }

    /// The points with `from <= time <= to`.
    public func points(from: Double, to: Double) -> ArraySlice<SeriesPoint> {
        let all = points
        let lower = firstIndex(in: all) { $0.time >= from }
        let upper = firstIndex(in: all) { $0.time > to }
        return lower < upper ? all[lower..<upper] : all[lower..<lower]
    }

    /// Notes that the history reaches back to `time` (seconds since 1970), for snapshots not appended
    /// (older than the window read).
    public mutating func noteHistory(since time: Double) {
        historyStart = min(historyStart ?? time, time)
    }

    /// Adds the next snapshot. Returns false (and changes nothing) when its time is not after the
    /// newest point's.
    @discardableResult
    public mutating func append(_ snapshot: Snapshot) -> Bool {
        append(SnapshotReadings(snapshot), of: snapshot)
    }

    /// Adds the next snapshot, whose readings were taken already (possibly on another thread:
    /// they depend on the snapshot alone, and the readings index keeps them). Returns false, as
    /// `append(_:)` does. Without the snapshot itself, `latest` is nil until `noteLatest`.
    @discardableResult
    public mutating func append(_ readings: SnapshotReadings, of snapshot: Snapshot?) -> Bool {
        let time = readings.time
        let previousTime = storage.last?.time
        if let previousTime, time <= previousTime { return false }

        let restarted = SeriesMath.isRestart(previousUptime: previousUptime, uptime: readings.uptimeSeconds)
        var point = SeriesPoint(time: time)
        if let previousTime {
            let elapsed = time - previousTime
            let gap = gaps.isGap(elapsed)
            point.startsSegment = gap || restarted
            // After a restart the counters started at zero when the process did. Across a gap
            // without a restart an average over the silence would mislead: no rate there.
            let interval = SeriesMath.rateInterval(elapsed: elapsed, uptime: readings.uptimeSeconds, restarted: restarted)
            deriveRates(from: readings, interval: gap && !restarted ? 0 : interval, restarted: restarted, into: &point)
        } else {
            deriveRates(from: readings, interval: 0, restarted: false, into: &point)
        }
        point.uptimeSeconds = readings.uptimeSeconds
        point.memoryBytes = readings.memoryBytes
        point.threads = readings.threads
        point.storageBytes = readings.storageBytes
        point.keys = readings.keys
        point.health = healthCodes(of: readings.checks)
        point.overallHealth = readings.overallHealth
        point.firingAlerts = readings.firingAlerts
        point.alerts = readings.alerts
        point.ruleValues = ruleValues(of: readings.ruleValues)

        storage.append(point)
        latest = snapshot
        noteHistory(since: time)
        previousUptime = readings.uptimeSeconds
        trim()
        return true
    }

    /// Notes the snapshot of the newest point, appended by its readings alone.
    mutating func noteLatest(_ snapshot: Snapshot) {
        latest = snapshot
    }

    // MARK: - Deriving one point

    private mutating func deriveRates(from readings: SnapshotReadings, interval: Double, restarted: Bool,
                                      into point: inout SeriesPoint) {
        let increase = previousRequests.map { readings.requests.increase(since: $0, restarted: restarted) }
        let buckets = previousLatency.map { readings.latency.increase(since: $0, restarted: restarted) }
        let routeIncreases = previousRoutes.map { readings.routes.increases(since: $0, restarted: restarted) }
        let (statusBefore, storageBefore) = (previousStatusClasses, previousStorage)
        previousRequests = readings.requests
        previousLatency = readings.latency
        previousRoutes = readings.routes
        previousStatusClasses = readings.statusClasses
        previousStorage = readings.storage
        if let increase {
            point.requestIncrease = increase.total
            point.serverErrorIncrease = increase.part
        }
        guard interval > 0 else { return }
        if let statusBefore {
            point.statusClassRates = readings.statusClasses.rates(since: statusBefore, restarted: restarted, over: interval)
        }
        if let storageBefore {
            point.storage = readings.storage.derive(since: storageBefore, restarted: restarted, over: interval)
        }
        if let routeIncreases {
            point.rateSeconds = interval
            point.routes.reserveCapacity(routeIncreases.count)
            for (route, increase) in routeIncreases {
                let index = index(of: route)
                var increase = increase
                // One copy of each route's bucket bounds for all points (arrays share their storage).
                if routeBounds[index] == increase.latency.bounds {
                    increase.latency.bounds = routeBounds[index]
                } else {
                    routeBounds[index] = increase.latency.bounds
                }
                point.routes.append(RouteIncrease(route: index, increase: increase))
            }
            point.routes.sort { $0.route < $1.route }
        }
        if let increase {
            point.requestRate = SeriesMath.rate(increase.total, over: interval) ?? .nan
            point.errorRatio = increase.ratio ?? .nan
        }
        if let buckets {
            point.latencyBuckets = buckets.sorted { $0.upperBound < $1.upperBound }
            point.latencyP50 = HistogramQuantile.quantile(0.5, buckets: buckets)
            point.latencyP95 = HistogramQuantile.quantile(0.95, buckets: buckets)
            point.latencyP99 = HistogramQuantile.quantile(0.99, buckets: buckets)
        }
    }

    private mutating func index(of route: RouteReadings.Route) -> Int {
        if let index = routeIndex[route] { return index }
        routeIndex[route] = routeNames.count
        routeNames.append(route)
        routeBounds.append([])
        return routeNames.count - 1
    }

    /// The rule values worth keeping: those at least half their threshold (above 0 for a threshold
    /// of 0 or below). The rest are far from firing and would cost a week's window megabytes (one per
    /// rule per point) to draw a flat line under the threshold nobody asks about.
    private mutating func ruleValues(of values: [AlertRuleValue]) -> [RuleValue] {
        guard !values.isEmpty else { return [] }
        return values.compactMap { value in
            guard value.threshold > 0 ? value.value >= value.threshold / 2 : value.value > 0 else { return nil }
            let index: Int
            if let known = ruleIndex[value.name] {
                index = known
                ruleThresholds[index] = value.threshold
            } else {
                guard ruleNames.count < Int(UInt16.max) else { return nil }
                index = ruleNames.count
                ruleIndex[value.name] = index
                ruleNames.append(value.name)
                ruleThresholds.append(value.threshold)
            }
            return RuleValue(rule: UInt16(index), value: Float(value.value))
        }
    }

    private mutating func healthCodes(of checks: [(name: String, status: HealthStatusCode)]) -> [HealthStatusCode] {
        for check in checks where checkIndex[check.name] == nil {
            checkIndex[check.name] = checkNames.count
            checkNames.append(check.name)
        }
        var codes = [HealthStatusCode](repeating: .absent, count: checkNames.count)
        for check in checks {
            if let index = checkIndex[check.name] { codes[index] = check.status }
        }
        return codes
    }

    // MARK: - Keeping the window

    private mutating func trim() {
        guard let retention, let newest = storage.last?.time else { return }
        while head < storage.count - 1, storage[head].time < newest - retention {
            head += 1
        }
        if head >= 1024, head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
    }

    private func firstIndex(in slice: ArraySlice<SeriesPoint>, where predicate: (SeriesPoint) -> Bool) -> Int {
        var low = slice.startIndex
        var high = slice.endIndex
        while low < high {
            let middle = (low + high) / 2
            if predicate(slice[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
