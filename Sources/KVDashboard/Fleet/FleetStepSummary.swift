import KVSnapshot

/// What one node (or the whole fleet) did during one step of the fleet charts, from the points
/// the series maths derived for each snapshot: rates and ratios are not computed again here.
struct FleetStepSummary {
    /// The sum and number of the points' request rates (req/s) and 5xx rates (req/s).
    private var requestRateSum = 0.0
    private var serverErrorRateSum = 0.0
    private var rates = 0
    /// The points' latency bucket increases, all together (`HistogramQuantile` sums equal bounds).
    private(set) var latencyBuckets: [HistogramQuantile.Bucket] = []
    /// The newest point's resident memory in bytes.
    private(set) var memoryBytes = Double.nan
    /// The newest point's overall health.
    private(set) var health = HealthStatusCode.absent

    /// Adds the next point of the step (oldest first).
    mutating func add(_ point: SeriesPoint) {
        if point.requestRate.isFinite {
            requestRateSum += point.requestRate
            serverErrorRateSum += point.errorRatio.isFinite ? point.errorRatio * point.requestRate : 0
            rates += 1
        }
        latencyBuckets += point.latencyBuckets
        if point.memoryBytes.isFinite { memoryBytes = point.memoryBytes }
        health = point.overallHealth
    }

    /// The fleet's step: the nodes' request and 5xx rates and memory added up, their latency
    /// buckets merged (so the fleet's p99 is that of every request, not a mean of p99s).
    static func total(_ nodes: [FleetStepSummary]) -> FleetStepSummary {
        var total = FleetStepSummary()
        for node in nodes {
            if node.rates > 0 {
                total.requestRateSum += node.requestRate
                total.serverErrorRateSum += node.serverErrorRate
                total.rates = 1
            }
            total.latencyBuckets += node.latencyBuckets
            if node.memoryBytes.isFinite { total.memoryBytes = (total.memoryBytes.isFinite ? total.memoryBytes : 0) + node.memoryBytes }
        }
        return total
    }

    /// Requests per second: the mean of the step's rates; NaN without any.
    var requestRate: Double { rates > 0 ? requestRateSum / Double(rates) : .nan }
    /// 5xx responses per second, likewise.
    var serverErrorRate: Double { rates > 0 ? serverErrorRateSum / Double(rates) : .nan }
    /// The 5xx share of the requests; NaN without requests.
    var errorRatio: Double { SeriesMath.ratio(serverErrorRate, of: requestRate) ?? .nan }
    /// The latency p99 in seconds over the step's bucket increases.
    var latencyP99: Double { HistogramQuantile.quantile(0.99, buckets: latencyBuckets) }
}
