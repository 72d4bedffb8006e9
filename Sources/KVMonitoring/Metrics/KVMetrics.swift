import KVSnapshot

/// Every metric family the server exports, declared once: names, help, types, labels, units.
public enum KVMetrics {
    // MARK: HTTP

    /// HTTP requests by method (`_OTHER` for unknown), route template (or `unmatched`) and status code.
    public static let httpRequestsTotal = MetricDescriptor(
        name: .httpRequestsTotal,
        help: "HTTP requests completed, by method, matched route template and status code.",
        type: .counter,
        labelNames: ["method", "route", KVMetricLabel.code]
    )
    /// Time from receiving a request to finishing its response.
    public static let requestDurationSeconds = MetricDescriptor(
        name: .requestDurationSeconds,
        help: "Time to serve an HTTP request, by method and matched route template.",
        type: .histogram,
        labelNames: ["method", "route"],
        unit: "seconds"
    )
    /// Request body sizes.
    public static let httpRequestSizeBytes = MetricDescriptor(
        name: .httpRequestSizeBytes,
        help: "Size of HTTP request bodies, by method and matched route template.",
        type: .histogram,
        labelNames: ["method", "route"],
        unit: "bytes"
    )
    /// Response body sizes.
    public static let httpResponseSizeBytes = MetricDescriptor(
        name: .httpResponseSizeBytes,
        help: "Size of HTTP response bodies, by method and matched route template.",
        type: .histogram,
        labelNames: ["method", "route"],
        unit: "bytes"
    )
    /// Requests being served right now.
    public static let httpRequestsInFlight = MetricDescriptor(
        name: .httpRequestsInFlight,
        help: "HTTP requests currently being served.",
        type: .gauge
    )

    // MARK: Storage

    /// Storage operations by `op` (get, put, delete, list, commit).
    public static let storageOperationsTotal = MetricDescriptor(
        name: .storageOperationsTotal,
        help: "Storage operations performed, by operation (get, put, delete, list, commit).",
        type: .counter,
        labelNames: ["op"]
    )
    /// Failed storage operations by `op`.
    public static let storageErrorsTotal = MetricDescriptor(
        name: .storageErrorsTotal,
        help: "Storage operations that failed, by operation (get, put, delete, list, commit).",
        type: .counter,
        labelNames: ["op"]
    )
    /// Storage operation durations by `op`.
    public static let storageOperationDurationSeconds = MetricDescriptor(
        name: .storageOperationDurationSeconds,
        help: "Time spent in storage operations, by operation (get, put, delete, list, commit).",
        type: .histogram,
        labelNames: ["op"],
        unit: "seconds"
    )
    /// Writes per storage transaction (group commit).
    public static let storageCommitBatchSize = MetricDescriptor(
        name: .storageCommitBatchSize,
        help: "Writes committed together in one storage transaction (group commit; with durability always, one fsync covers them).",
        type: .histogram,
        labelNames: []
    )
    /// Buckets of `storageCommitBatchSize`: powers of two up to the LMDB writer's largest batch.
    public static let commitBatchSizeBuckets: [Double] = (0...12).map { Double(1 << $0) }
    /// Bytes used by the database.
    public static let storageSizeBytes = MetricDescriptor(
        name: .storageSizeBytes,
        help: "Bytes used by the database's pages.",
        type: .gauge,
        unit: "bytes"
    )
    /// Keys stored.
    public static let storageKeys = MetricDescriptor(
        name: .storageKeys,
        help: "Number of keys stored.",
        type: .gauge
    )
    /// The LMDB map size.
    public static let storageMapSizeBytes = MetricDescriptor(
        name: .storageMapSizeBytes,
        help: "Configured LMDB map size, the most the database file can grow to.",
        type: .gauge,
        unit: "bytes"
    )
    /// The configured storage quota.
    public static let storageQuotaBytes = MetricDescriptor(
        name: .storageQuotaBytes,
        help: "Configured storage quota; writes past it are refused.",
        type: .gauge,
        unit: "bytes"
    )
    /// 1 once a failed commit, sync or map resize made the store read-only until restart.
    public static let storageReadOnly = MetricDescriptor(
        name: .storageReadOnly,
        help: "1 when the store refuses writes until restart after an I/O error, else 0.",
        type: .gauge
    )

    /// Expired keys deleted by the expiry sweeper (`StorageStatistics.expiredKeysRemoved`).
    public static let storageExpiredKeysTotal = MetricDescriptor(
        name: .storageExpiredKeysTotal,
        help: "Expired keys deleted by the expiry sweeper since start (reads never return an expired key, swept or not).",
        type: .counter
    )

    // MARK: KV API

    /// Requests whose condition did not hold (412), by `op`: get, put, delete (and txn).
    public static let kvConditionalFailuresTotal = MetricDescriptor(
        name: .kvConditionalFailuresTotal,
        help: "Conditional requests refused because their condition did not hold (412), by operation (get, put, delete, txn); a 304 is not counted.",
        type: .counter,
        labelNames: ["op"]
    )

    // MARK: Process (standard names, read from /proc when scraped)

    /// Resident set size.
    public static let processResidentMemoryBytes = MetricDescriptor(
        name: .processResidentMemoryBytes,
        help: "Resident memory size in bytes.",
        type: .gauge,
        unit: "bytes"
    )
    /// Virtual memory size.
    public static let processVirtualMemoryBytes = MetricDescriptor(
        name: .processVirtualMemoryBytes,
        help: "Virtual memory size in bytes.",
        type: .gauge,
        unit: "bytes"
    )
    /// User and system CPU time.
    public static let processCPUSecondsTotal = MetricDescriptor(
        name: .processCPUSecondsTotal,
        help: "Total user and system CPU time spent in seconds.",
        type: .counter,
        unit: "seconds"
    )
    /// Open file descriptors.
    public static let processOpenFDs = MetricDescriptor(
        name: .processOpenFDs,
        help: "Number of open file descriptors.",
        type: .gauge
    )
    /// The soft limit on open file descriptors.
    public static let processMaxFDs = MetricDescriptor(
        name: .processMaxFDs,
        help: "Maximum number of open file descriptors.",
        type: .gauge
    )
    /// Process start time.
    public static let processStartTimeSeconds = MetricDescriptor(
        name: .processStartTimeSeconds,
        help: "Start time of the process since unix epoch in seconds.",
        type: .gauge,
        unit: "seconds"
    )
    /// The seed's name for resident memory.
    public static let memoryUsageBytes = MetricDescriptor(
        name: .memoryUsageBytes,
        help: "Resident memory of the kvstore process in bytes (same value as process_resident_memory_bytes).",
        type: .gauge,
        unit: "bytes"
    )
    /// OS threads of the process: Swift's counterpart of the seed's `kvstore_goroutines`.
    public static let threads = MetricDescriptor(
        name: .threads,
        help: "Operating system threads in the kvstore process (the Swift counterpart of goroutines).",
        type: .gauge
    )

    // MARK: Build and self-monitoring

    /// Constant 1, labelled with the build.
    public static let buildInfo = MetricDescriptor(
        name: .buildInfo,
        help: "Always 1; labelled with the kvstore version, source revision and Swift version.",
        type: .gauge,
        labelNames: ["version", "revision", "swift_version"]
    )
    /// Lookups of new series redirected to a family's overflow series by the series cap.
    public static let metricsSeriesDroppedTotal = MetricDescriptor(
        name: .metricsSeriesDroppedTotal,
        help: "Lookups of a new series redirected to the __overflow__ series because the family was at its series cap.",
        type: .counter,
        labelNames: ["family"]
    )
    /// Time to build one metrics exposition.
    public static let metricsScrapeDurationSeconds = MetricDescriptor(
        name: .metricsScrapeDurationSeconds,
        help: "Time to collect and render one metrics exposition.",
        type: .summary,
        unit: "seconds"
    )

    // MARK: Health

    /// Overall health as a state set: one series per state, 1 for the current one, 0 otherwise.
    public static let healthStatus = MetricDescriptor(
        name: .healthStatus,
        help: "Overall health as a state set: 1 for the current state (healthy, degraded, unhealthy), 0 for the others.",
        type: .gauge,
        labelNames: ["state"]
    )
    /// Each check's effective status as a state set.
    public static let healthCheckStatus = MetricDescriptor(
        name: .healthCheckStatus,
        help: "Effective status of each health check as a state set: 1 for the current state (healthy, degraded, unhealthy), 0 for the others.",
        type: .gauge,
        labelNames: ["check", "state"]
    )
    /// How long each health check run took (a timed-out run counts as its timeout).
    public static let healthCheckDurationSeconds = MetricDescriptor(
        name: .healthCheckDurationSeconds,
        help: "Time taken by health check runs, by check; a run that timed out counts as its timeout.",
        type: .summary,
        labelNames: ["check"],
        unit: "seconds"
    )

    // MARK: Snapshots

    /// Snapshot files written.
    public static let snapshotWritesTotal = MetricDescriptor(
        name: .snapshotWritesTotal,
        help: "Snapshot files written successfully.",
        type: .counter
    )
    /// Snapshot writes that failed (full disk, I/O error).
    public static let snapshotErrorsTotal = MetricDescriptor(
        name: .snapshotErrorsTotal,
        help: "Snapshot writes that failed (full disk, I/O error); no partial file is left.",
        type: .counter
    )
    /// Time to build, encode and durably write one snapshot.
    public static let snapshotDurationSeconds = MetricDescriptor(
        name: .snapshotDurationSeconds,
        help: "Time to build, encode and durably write one snapshot file.",
        type: .summary,
        unit: "seconds"
    )
    /// When the last snapshot was written.
    public static let snapshotLastSuccessTimestampSeconds = MetricDescriptor(
        name: .snapshotLastSuccessTimestampSeconds,
        help: "Unix time of the last successful snapshot write; 0 before the first.",
        type: .gauge,
        unit: "seconds"
    )
    /// Files in the snapshot archive of this node.
    public static let snapshotArchiveFiles = MetricDescriptor(
        name: .snapshotArchiveFiles,
        help: "Snapshot files of this node in the archive folder after retention.",
        type: .gauge
    )
    /// Bytes in the snapshot archive of this node.
    public static let snapshotArchiveBytes = MetricDescriptor(
        name: .snapshotArchiveBytes,
        help: "Bytes of this node's snapshot files in the archive folder after retention.",
        type: .gauge,
        unit: "bytes"
    )
    /// The configured memory limit the memory check compares against.
    public static let memoryLimitBytes = MetricDescriptor(
        name: .memoryLimitBytes,
        help: "The memory limit the memory health check compares resident memory with (health.memory_limit_mb).",
        type: .gauge,
        unit: "bytes"
    )

    // MARK: Connections

    /// Connections open on a listener.
    public static let httpConnectionsOpen = MetricDescriptor(
        name: .httpConnectionsOpen,
        help: "TCP connections open on a listener (api or metrics).",
        type: .gauge,
        labelNames: ["listener"]
    )
    /// Connections refused because the listener was at `security.max_connections`.
    public static let httpConnectionsRefusedTotal = MetricDescriptor(
        name: .httpConnectionsRefusedTotal,
        help: "Connections refused (503 or closed) because the listener was at security.max_connections.",
        type: .counter,
        labelNames: ["listener"]
    )
    /// Connections closed because a request did not arrive within `security.request_timeout_seconds`.
    public static let httpConnectionsTimedOutTotal = MetricDescriptor(
        name: .httpConnectionsTimedOutTotal,
        help: "Connections closed because a request did not arrive completely within security.request_timeout_seconds.",
        type: .counter,
        labelNames: ["listener"]
    )
    /// Requests answered `429 rate_limited` because their client was over `security.rate_limit`.
    public static let httpRateLimitedTotal = MetricDescriptor(
        name: .httpRateLimitedTotal,
        help: "Requests refused with 429 because their client was over security.rate_limit.",
        type: .counter,
        labelNames: ["listener"]
    )

    /// Every descriptor above, sorted by name (for docs and dashboards).
    public static let all: [MetricDescriptor] = [
        httpRequestsTotal, requestDurationSeconds, httpRequestSizeBytes, httpResponseSizeBytes,
        httpRequestsInFlight, storageOperationsTotal, storageErrorsTotal, storageOperationDurationSeconds,
        storageCommitBatchSize, storageSizeBytes, storageKeys, storageMapSizeBytes, storageQuotaBytes, storageReadOnly,
        storageExpiredKeysTotal, kvConditionalFailuresTotal,
        processResidentMemoryBytes, processVirtualMemoryBytes, processCPUSecondsTotal, processOpenFDs,
        processMaxFDs, processStartTimeSeconds, memoryUsageBytes, threads,
        buildInfo, metricsSeriesDroppedTotal, metricsScrapeDurationSeconds,
        healthStatus, healthCheckStatus, healthCheckDurationSeconds,
        snapshotWritesTotal, snapshotErrorsTotal, snapshotDurationSeconds, snapshotLastSuccessTimestampSeconds,
        snapshotArchiveFiles, snapshotArchiveBytes, memoryLimitBytes,
        httpConnectionsOpen, httpConnectionsRefusedTotal, httpConnectionsTimedOutTotal, httpRateLimitedTotal,
        watchers, watchEventsTotal,
        txnOperations, txnTotal,
        clusterMembers, postgresConnectionsInUse, postgresPoolSize, postgresWaitSeconds, postgresQueryDurationSeconds, postgresErrorsTotal,
    ].sorted { $0.name < $1.name }
}
