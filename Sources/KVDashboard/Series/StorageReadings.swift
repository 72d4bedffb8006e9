import KVSnapshot

/// One snapshot's storage families, for the storage charts: operations by `op`, the commit batch
/// histogram's sum and count, and the operation duration histogram by `op`. Increases come from
/// `CounterReading` and `HistogramReading`, as for requests.
struct StorageReadings: Sendable {
    /// The operations whose p99 is drawn.
    static let latencyOperations = ["put", "commit"]

    var operations: [String: CounterReading]
    var batchWrites: CounterReading
    var batchCommits: CounterReading
    var durations: [String: HistogramReading]

    init(_ snapshot: Snapshot) {
        operations = snapshot.family(named: .storageOperationsTotal)?.grouped { $0.labels["op"] }
            .mapValues { CounterReading($0) } ?? [:]
        let batches = snapshot.family(named: .storageCommitBatchSize)
        batchWrites = CounterReading(batches.map { Self.counter($0, \.sum) })
        batchCommits = CounterReading(batches.map { Self.counter($0) { sample in sample.count.map { Double($0) } } })
        durations = snapshot.family(named: .storageOperationDurationSeconds)?.grouped { $0.labels["op"] }
            .mapValues { HistogramReading($0) } ?? [:]
    }

    /// The rates and quantiles of the interval since `before` (`seconds` long).
    func derive(since before: StorageReadings, restarted: Bool, over seconds: Double) -> StoragePoint {
        var point = StoragePoint()
        for (op, reading) in operations {
            let increase = reading.increase(since: before.operations[op] ?? CounterReading(nil), restarted: restarted)
            point.operationRates[op] = SeriesMath.rate(increase.total, over: seconds) ?? .nan
        }
        let writes = batchWrites.increase(since: before.batchWrites, restarted: restarted).total
        let commits = batchCommits.increase(since: before.batchCommits, restarted: restarted).total
        point.commitBatchMean = SeriesMath.ratio(writes, of: commits) ?? .nan
        point.latencyP99 = Self.latencyOperations.map { op in
            guard let reading = durations[op] else { return .nan }
            let buckets = reading.increase(since: before.durations[op] ?? HistogramReading(nil), restarted: restarted)
            return HistogramQuantile.quantile(0.99, buckets: buckets)
        }
        return point
    }

    /// A counter family whose samples carry `field` (a histogram's `sum` or `count`) as their value.
    private static func counter(_ histogram: MetricFamilySnapshot, _ field: (MetricSample) -> Double?) -> MetricFamilySnapshot {
        var family = histogram
        family.samples = histogram.samples.compactMap { sample in
            field(sample).map { MetricSample(labels: sample.labels, value: $0) }
        }
        return family
    }
}

/// The storage charts' values for one interval; NaN means "no value".
struct StoragePoint: Sendable, Equatable {
    /// Operations per second by `op`.
    var operationRates: [String: Double] = [:]
    /// Writes per commit: the batch histogram's sum increase over its count increase.
    var commitBatchMean = Double.nan
    /// p99 duration in seconds of each of `StorageReadings.latencyOperations`.
    var latencyP99: [Double] = StorageReadings.latencyOperations.map { _ in .nan }
}
