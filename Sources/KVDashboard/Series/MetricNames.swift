/// The metric family names the dashboard reads from snapshots (as `KVMetrics` declares them).
enum MetricNames {
    static let httpRequestsTotal = "kvstore_http_requests_total"
    static let requestDurationSeconds = "kvstore_request_duration_seconds"
    static let residentMemoryBytes = "process_resident_memory_bytes"
    static let threads = "kvstore_threads"
    static let storageSizeBytes = "kvstore_storage_size_bytes"
    static let storageKeys = "kvstore_storage_keys"
    /// The label that carries the HTTP status code.
    static let codeLabel = "code"
}
