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

    public init(_ snapshot: Snapshot) {
        time = snapshot.time.timeIntervalSince1970
        uptimeSeconds = snapshot.uptimeSeconds
        requests = CounterReading.requests(snapshot.family(named: .httpRequestsTotal))
        latency = HistogramReading(snapshot.family(named: .requestDurationSeconds))
        routes = RouteReadings(snapshot)
        statusClasses = StatusClassReadings(snapshot)
        storage = StorageReadings(snapshot)
        memoryBytes = snapshot.gaugeSum(named: .processResidentMemoryBytes) ?? snapshot.health.system.residentMemoryBytes
        threads = snapshot.gaugeSum(named: .threads) ?? Double(snapshot.health.system.threads)
        storageBytes = snapshot.gaugeSum(named: .storageSizeBytes) ?? snapshot.storage.map { Double($0.bytesInUse) } ?? .nan
        keys = snapshot.gaugeSum(named: .storageKeys) ?? snapshot.storage.map { Double($0.entries) } ?? .nan
        checks = snapshot.health.checks.map { ($0.key, HealthStatusCode($0.value.status)) }.sorted { $0.name < $1.name }
        overallHealth = HealthStatusCode(snapshot.health.status)
        firingAlerts = snapshot.alerts.isEmpty ? [] : Array(Set(snapshot.alerts.filter { $0.state == .firing }.map(\.name))).sorted()
    }
}
