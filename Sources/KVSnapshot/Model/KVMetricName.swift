/// Every metric family name kvstore exports, defined once: `KVMetrics` (KVMonitoring) declares
/// its descriptors with these, and the dashboard and the alert rules read snapshots by them.
public enum KVMetricName: String, Sendable, CaseIterable {
    case httpRequestsTotal = "kvstore_http_requests_total"
    case requestDurationSeconds = "kvstore_request_duration_seconds"
    case httpRequestSizeBytes = "kvstore_http_request_size_bytes"
    case httpResponseSizeBytes = "kvstore_http_response_size_bytes"
    case httpRequestsInFlight = "kvstore_http_requests_in_flight"
    case storageOperationsTotal = "kvstore_storage_operations_total"
    case storageErrorsTotal = "kvstore_storage_errors_total"
    case storageOperationDurationSeconds = "kvstore_storage_operation_duration_seconds"
    case storageSizeBytes = "kvstore_storage_size_bytes"
    case storageKeys = "kvstore_storage_keys"
    case storageMapSizeBytes = "kvstore_storage_map_size_bytes"
    case storageQuotaBytes = "kvstore_storage_quota_bytes"
    case storageReadOnly = "kvstore_storage_read_only"
    case processResidentMemoryBytes = "process_resident_memory_bytes"
    case processVirtualMemoryBytes = "process_virtual_memory_bytes"
    case processCPUSecondsTotal = "process_cpu_seconds_total"
    case processOpenFDs = "process_open_fds"
    case processMaxFDs = "process_max_fds"
    case processStartTimeSeconds = "process_start_time_seconds"
    case memoryUsageBytes = "kvstore_memory_usage_bytes"
    case threads = "kvstore_threads"
    case buildInfo = "kvstore_build_info"
    case metricsSeriesDroppedTotal = "kvstore_metrics_series_dropped_total"
    case metricsScrapeDurationSeconds = "kvstore_metrics_scrape_duration_seconds"
    case healthStatus = "kvstore_health_status"
    case healthCheckStatus = "kvstore_health_check_status"
    case healthCheckDurationSeconds = "kvstore_health_check_duration_seconds"
    case snapshotWritesTotal = "kvstore_snapshot_writes_total"
    case snapshotErrorsTotal = "kvstore_snapshot_errors_total"
    case snapshotDurationSeconds = "kvstore_snapshot_duration_seconds"
    case snapshotLastSuccessTimestampSeconds = "kvstore_snapshot_last_success_timestamp_seconds"
    case snapshotArchiveFiles = "kvstore_snapshot_archive_files"
    case snapshotArchiveBytes = "kvstore_snapshot_archive_bytes"
    case memoryLimitBytes = "kvstore_memory_limit_bytes"
    case httpConnectionsOpen = "kvstore_http_connections_open"
    case httpConnectionsRefusedTotal = "kvstore_http_connections_refused_total"
    case httpConnectionsTimedOutTotal = "kvstore_http_connections_timed_out_total"
    case httpRateLimitedTotal = "kvstore_http_rate_limited_total"
    case alertNotificationsTotal = "kvstore_alert_notifications_total"
}

/// Label names the dashboard and the alert rules read.
public enum KVMetricLabel {
    /// The HTTP status code of `kvstore_http_requests_total`.
    public static let code = "code"
}
