import KVSnapshot

/// The shared table of resets, restarts and gaps: each row a few snapshots' request counters
/// (and optionally one latency histogram) with the increases and rates every consumer of
/// `SeriesMath` (the maths itself, the dashboard's `SeriesStore` and `WindowSummary`, the
/// alerts' `AlertHistory`) must compute from them.
public struct IncreaseCase: Sendable, CustomStringConvertible {
    /// One snapshot's values.
    public struct Sample: Sendable {
        /// Seconds from the first sample.
        public var time: Double
        public var uptime: Double
        /// `GET /kv` answered `200`.
        public var ok: Double
        /// `PUT /kv` answered `500`; nil when that series is absent.
        public var errors: Double?
        /// Cumulative counts of `kvstore_request_duration_seconds` for `IncreaseCase.bounds`; nil: no histogram.
        public var latency: [UInt64]?

        public init(_ time: Double, uptime: Double, ok: Double, errors: Double? = 0, latency: [UInt64]? = nil) {
            self.time = time
            self.uptime = uptime
            self.ok = ok
            self.errors = errors
            self.latency = latency
        }
    }

    /// The upper bounds of the latency histogram.
    public static let bounds: [Double] = [0.1, 0.5, 1, .infinity]

    public var description: String
    public var samples: [Sample]
    /// All requests' increase from each sample to the next (resets and restarts handled).
    public var stepIncreases: [Double]
    /// The 5xx part of the whole window's increase.
    public var errors: Double
    /// Requests per second over the whole window (first to last sample).
    public var rate: Double
    /// The dashboard's request rate of each sample after the first: nil where none is drawn (across a gap).
    public var stepRates: [Double?]
    /// The latency bucket increases over the whole window, for `bounds`; nil without a histogram.
    public var latencyIncrease: [Double]?

    /// The whole window's increase of all requests.
    public var increase: Double { self.stepIncreases.reduce(0, +) }
    /// Seconds from the first sample to the last.
    public var seconds: Double { (self.samples.last?.time ?? 0) - (self.samples.first?.time ?? 0) }

    public static let all: [IncreaseCase] = [
        IncreaseCase(
            description: "steady traffic",
            samples: [Sample(0, uptime: 100, ok: 100, errors: 0), Sample(15, uptime: 115, ok: 250, errors: 30),
                      Sample(30, uptime: 130, ok: 400, errors: 30)],
            stepIncreases: [180, 150], errors: 30, rate: 11, stepRates: [12, 10]),
        IncreaseCase(
            description: "counter reset without restart: the new value is the increase",
            samples: [Sample(0, uptime: 100, ok: 100, errors: 10), Sample(15, uptime: 115, ok: 40, errors: 15)],
            stepIncreases: [45], errors: 5, rate: 3, stepRates: [3]),
        IncreaseCase(
            description: "restart (uptime went back) with higher counters: every series counts from zero",
            samples: [Sample(0, uptime: 500, ok: 10, errors: 0), Sample(15, uptime: 10, ok: 30, errors: 3)],
            stepIncreases: [33], errors: 3, rate: 2.2, stepRates: [3.3]),
        IncreaseCase(
            description: "a gap without restart: increase counted, no rate drawn across it",
            samples: [Sample(0, uptime: 100, ok: 0), Sample(15, uptime: 115, ok: 15), Sample(30, uptime: 130, ok: 30),
                      Sample(600, uptime: 700, ok: 600)],
            stepIncreases: [15, 15, 570], errors: 0, rate: 1, stepRates: [1, 1, nil]),
        IncreaseCase(
            description: "a restart after a gap: rate over the new uptime",
            samples: [Sample(0, uptime: 100, ok: 100), Sample(15, uptime: 115, ok: 115), Sample(300, uptime: 60, ok: 50, errors: 10)],
            stepIncreases: [15, 60], errors: 10, rate: 0.25, stepRates: [1, 1]),
        IncreaseCase(
            description: "a series that appears counts from zero",
            samples: [Sample(0, uptime: 10, ok: 10, errors: nil), Sample(15, uptime: 25, ok: 20, errors: 5)],
            stepIncreases: [15], errors: 5, rate: 1, stepRates: [1]),
        IncreaseCase(
            description: "histogram: one bucket went down, so the whole series was reset",
            samples: [Sample(0, uptime: 100, ok: 100, latency: [10, 60, 90, 100]),
                      Sample(15, uptime: 115, ok: 190, latency: [20, 70, 80, 90])],
            stepIncreases: [90], errors: 0, rate: 6, stepRates: [6], latencyIncrease: [20, 70, 80, 90]),
        IncreaseCase(
            description: "histogram: increases summed over steps and across a restart",
            samples: [Sample(0, uptime: 100, ok: 100, latency: [10, 60, 90, 100]),
                      Sample(15, uptime: 115, ok: 170, latency: [20, 120, 150, 170]),
                      Sample(30, uptime: 5, ok: 10, latency: [1, 5, 8, 10])],
            stepIncreases: [70, 10], errors: 0, rate: 80.0 / 30, stepRates: [70.0 / 15, 2], latencyIncrease: [11, 65, 68, 80]),
    ]
}

extension IncreaseCase.Sample {
    /// `kvstore_http_requests_total` and, with `latency`, `kvstore_request_duration_seconds` as a snapshot holds them.
    public var metrics: [MetricFamilySnapshot] {
        var requests = [MetricSample(labels: ["method": "GET", "route": "/kv/{key}", "code": "200"], value: self.ok)]
        if let errors = self.errors {
            requests.append(MetricSample(labels: ["method": "PUT", "route": "/kv/{key}", "code": "500"], value: errors))
        }
        var families = [MetricFamilySnapshot(name: KVMetricName.httpRequestsTotal.rawValue, help: "requests", type: .counter,
                                             labelNames: ["method", "route", "code"], samples: requests)]
        if let latency = self.latency {
            let buckets = zip(IncreaseCase.bounds, latency).map { HistogramBucket(upperBound: $0, cumulativeCount: $1) }
            families.append(MetricFamilySnapshot(
                name: KVMetricName.requestDurationSeconds.rawValue, help: "latency", type: .histogram, unit: "seconds",
                labelNames: ["method", "route"],
                samples: [MetricSample(labels: ["method": "GET", "route": "/kv/{key}"], buckets: buckets, sum: 0,
                                       count: latency.last ?? 0)]))
        }
        return families
    }
}

/// Whether two numbers agree to 1e-9 (relative for large ones).
public func nearlyEqual(_ a: Double, _ b: Double) -> Bool {
    abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
}
