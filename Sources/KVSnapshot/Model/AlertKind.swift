/// What an alert rule looks at; its `threshold` and `window` mean different things per kind.
/// One type for the configuration (`alerts.rules[].kind`) and for the rules the server evaluates.
public enum AlertKind: String, Sendable, CaseIterable {
    /// Overall health at or worse than `threshold` (0 healthy, 1 degraded, 2 unhealthy).
    case healthStatus = "health_status"
    /// Any critical check unhealthy; the value is how many (`threshold` unused).
    case criticalCheck = "critical_check"
    /// 5xx share of HTTP requests over `window` above `threshold` (0–1).
    case errorRatio = "error_ratio"
    /// p99 request duration over `window` above `threshold` seconds.
    case latencyP99 = "latency_p99"
    /// Resident memory above `threshold` (0–1) of `health.memory_limit_mb`.
    case memoryRatio = "memory_ratio"
    /// Storage in use above `threshold` (0–1) of `storage.quota_bytes`.
    case storageRatio = "storage_ratio"
    /// The snapshot writer failing or its archive stale: the `snapshots` health check not healthy (`threshold` unused).
    case snapshots = "snapshots"
    /// Nodes of the shared store without a heartbeat for three intervals (`kvstore_cluster_members{state="missing"}`);
    /// the value is how many (`threshold` unused).
    case clusterMemberMissing = "cluster_member_missing"
}
