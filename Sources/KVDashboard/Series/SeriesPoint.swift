import KVSnapshot

/// Everything the charts need from one snapshot, derived and in base units. NaN means "no value".
public struct SeriesPoint: Sendable, Equatable {
    /// Seconds since 1970 (UTC).
    public var time: Double
    /// True when the line must not be joined to the previous point (the server was down or restarted).
    public var startsSegment: Bool
    /// Requests since the previous snapshot (resets and restarts handled); NaN on the first point.
    public var requestIncrease: Double
    /// The part of `requestIncrease` answered with a 5xx code; NaN on the first point.
    public var serverErrorIncrease: Double
    /// Requests per second since the previous snapshot, over every method, route and code.
    public var requestRate: Double
    /// The share (0...1) of those requests answered with a 5xx code.
    public var errorRatio: Double
    /// The latency histogram's bucket increases since the previous snapshot, summed by bound (empty
    /// where no quantile is drawn); the fleet charts merge them across nodes.
    public var latencyBuckets: [HistogramQuantile.Bucket]
    /// Request latency quantiles in seconds, from the histogram's bucket increases.
    public var latencyP50: Double
    public var latencyP95: Double
    public var latencyP99: Double
    /// Resident memory in bytes.
    public var memoryBytes: Double
    /// Operating system threads.
    public var threads: Double
    /// Bytes used by the database.
    public var storageBytes: Double
    /// Keys stored.
    public var keys: Double
    /// The process uptime in seconds.
    public var uptimeSeconds: Double
    /// Each check's status, indexed like `SeriesStore.checkNames`; nil where the check was absent.
    public var health: [HealthStatusCode]
    /// The snapshot's overall health status.
    public var overallHealth: HealthStatusCode
    /// The seconds the rates are taken over (the time since the previous snapshot, at most the uptime
    /// after a restart); 0 where no rate is drawn.
    var rateSeconds: Double = 0
    /// Each route's increase over `rateSeconds`, with its index into `SeriesStore.routeNames`; empty without a rate.
    var routes: [RouteIncrease] = []
    /// Requests per second by status class, in the order of `StatusClassReadings.classes`; empty without a rate.
    var statusClassRates: [Double] = []
    /// The storage charts' values; nil without a rate.
    var storage: StoragePoint?
    /// The names of the snapshot's alerts in state `firing` (not `pending`), sorted, without repeats.
    var firingAlerts: [String] = []
    /// The snapshot's alerts pending or firing, with their values, by name.
    var alerts: [ActiveAlert] = []
    /// The alert rules' values at the snapshot that are at least half their threshold, by rule
    /// (`SeriesStore.ruleNames`): 8 bytes each.
    var ruleValues: [RuleValue] = []

    /// A point with only a time; every value NaN.
    public init(time: Double, startsSegment: Bool = false) {
        self.time = time
        self.startsSegment = startsSegment
        requestIncrease = .nan
        serverErrorIncrease = .nan
        requestRate = .nan
        errorRatio = .nan
        latencyBuckets = []
        latencyP50 = .nan
        latencyP95 = .nan
        latencyP99 = .nan
        memoryBytes = .nan
        threads = .nan
        storageBytes = .nan
        keys = .nan
        uptimeSeconds = .nan
        health = []
        overallHealth = .absent
    }

    /// The status of check number `index`, or nil when it was not reported.
    public func status(ofCheck index: Int) -> HealthStatusCode {
        index < health.count ? health[index] : .absent
    }
}

/// One alert rule's value at a point, the rule given by its index into `SeriesStore.ruleNames`.
struct RuleValue: Sendable, Equatable {
    var rule: UInt16
    var value: Float
}

/// One route's increase at a point, the route given by its index into `SeriesStore.routeNames`.
struct RouteIncrease: Sendable, Equatable {
    var route: Int
    var increase: RouteReadings.Increase
}

extension ArraySlice where Element == SeriesPoint {
    /// `value` of each point, oldest first. Reads every point in place: iterating (`map`, `for in`)
    /// copies each point, retaining and releasing its arrays, which cost a live page most of its time.
    func column<Value>(_ value: (SeriesPoint) -> Value) -> [Value] {
        withUnsafeBufferPointer { points in
            var values: [Value] = []
            values.reserveCapacity(points.count)
            for index in points.indices { values.append(value(points[index])) }
            return values
        }
    }

    /// Calls `body` with each point's offset in the slice and the point, read in place (see `column`).
    func forEachInPlace(_ body: (Int, SeriesPoint) throws -> Void) rethrows {
        try withUnsafeBufferPointer { points in
            for index in points.indices { try body(index, points[index]) }
        }
    }
}
