import Foundation
import KVSnapshot
import KVTestSupport

/// Snapshots with every kind of content the format carries.
enum SnapshotFixtures {
    static let time = "2026-11-29T01:02:03.456Z"

    /// A full snapshot: checks with details, every metric type, NaN and ±Inf, an empty family,
    /// storage stats and an alert.
    static func full(sequence: UInt64 = 1, nodeID: String = "node-a", time: String = time) -> Snapshot {
        Snapshot(
            sequence: sequence, nodeID: nodeID, time: Date(snapshotTime: time), version: "1.2.3", uptimeSeconds: 12.5,
            health: health(time: time), metrics: metrics, storage: storage, alerts: [alert], ruleValues: ruleValues)
    }

    /// A snapshot with no checks, metrics, storage or alerts.
    static func minimal(sequence: UInt64 = 1, nodeID: String = "node-a", time: String = time) -> Snapshot {
        Snapshot(
            sequence: sequence, nodeID: nodeID, time: Date(snapshotTime: time), version: "1.2.3", uptimeSeconds: 0,
            health: HealthReport(
                status: .healthy, version: "1.2.3", uptimeSeconds: 0, checks: [:],
                summary: HealthSummary(total: 0, healthy: 0, degraded: 0, unhealthy: 0), system: system, time: time),
            metrics: [], storage: nil, alerts: [])
    }

    static let system = SystemInfo(
        swiftVersion: "6.3.1", os: "Linux", cpuCount: 2, memoryTotalBytes: 8_589_934_592,
        residentMemoryBytes: 52_428_800, threads: 9, pid: 4242, hostname: "host-1")

    static func health(time: String) -> HealthReport {
        let storage = HealthCheckReport(
            name: "storage", kind: "storage", status: .healthy, message: "read and write in 0.4 ms",
            durationMilliseconds: 0.41, details: ["operation_ms": 0.4, "path": "/var/lib/kvstore", "writable": true, "entries": 12],
            critical: true, time: time)
        let disk = HealthCheckReport(
            name: "disk", kind: "disk", status: .degraded, message: "disk 91% full", durationMilliseconds: 0.05,
            details: ["free_ratio": 0.09, "ratio_limit": .number(.infinity)], critical: false, time: nil,
            consecutiveFailures: 3)
        return HealthReport(
            status: .degraded, version: "1.2.3", uptimeSeconds: 12.5, checks: ["storage": storage, "disk": disk],
            summary: HealthSummary(total: 2, healthy: 1, degraded: 1, unhealthy: 0), system: system, time: time)
    }

    static let metrics: [MetricFamilySnapshot] = [
        MetricFamilySnapshot(
            name: "kvstore_http_requests_total", help: "HTTP requests by route (e.g. /api/v1/kv/{key}).", type: .counter,
            labelNames: ["method", "route", "code"],
            samples: [
                MetricSample(labels: ["method": "GET", "route": "/api/v1/kv/{key}", "code": "200"], value: 1234),
                MetricSample(labels: ["method": "PUT", "route": "/api/v1/kv/{key}", "code": "201"], value: 56),
            ]),
        MetricFamilySnapshot(
            name: "kvstore_odd_values", help: "Gauges with \"quotes\", a back\\slash and\na newline.", type: .gauge,
            labelNames: ["kind"],
            samples: [
                MetricSample(labels: ["kind": "nan"], value: .nan),
                MetricSample(labels: ["kind": "plus_inf"], value: .infinity),
                MetricSample(labels: ["kind": "minus_inf"], value: -.infinity),
                MetricSample(labels: ["kind": "tiny"], value: 1e-300),
                MetricSample(labels: ["kind": "negative_zero"], value: -0.0),
            ]),
        MetricFamilySnapshot(
            name: "kvstore_http_request_duration_seconds", help: "Request latency.", type: .histogram, unit: "seconds",
            labelNames: ["route"],
            samples: [
                MetricSample(
                    labels: ["route": "/api/v1/kv/{key}"],
                    buckets: [
                        HistogramBucket(upperBound: 0.005, cumulativeCount: 10),
                        HistogramBucket(upperBound: 0.1, cumulativeCount: 25),
                        HistogramBucket(upperBound: .infinity, cumulativeCount: 27),
                    ],
                    sum: 0.75, count: 27),
            ]),
        MetricFamilySnapshot(
            name: "kvstore_snapshot_duration_seconds", help: "Snapshot write time.", type: .summary, unit: "seconds",
            samples: [
                MetricSample(
                    quantiles: [SummaryQuantile(quantile: 0.5, value: .nan), SummaryQuantile(quantile: 0.99, value: .nan)],
                    sum: 0, count: 0),
            ]),
        MetricFamilySnapshot(name: "kvstore_empty_family", help: "No series yet.", type: .gauge, samples: []),
    ]

    static let storage = StorageSnapshot(
        engine: "lmdb", entries: 12, bytesOnDisk: 65_536, bytesInUse: 32_768, mapSizeBytes: 1_073_741_824,
        quotaBytes: 536_870_912, pageSize: 4096, durability: "sync")

    static let alert = AlertSnapshot(
        name: "DiskAlmostFull", severity: "warning", state: .firing, activeSince: "2026-11-29T00:55:00.000Z",
        value: 0.91, threshold: 0.9, summary: "Disk 91% full", description: "Free space below 10% on /var/lib", labels: ["node": "node-a"])

    /// Every rule's value at the snapshot, active or not.
    static let ruleValues = [
        AlertRuleValue(name: "DiskAlmostFull", value: 0.91, threshold: 0.9),
        AlertRuleValue(name: "KVStoreHighErrorRatio", value: 0.0125, threshold: 0.05),
    ]

    /// A cluster section of three members, one in each state; one node id needs escaping.
    static let cluster = ClusterSnapshot(members: [
        ClusterMemberSnapshot(node: "node-a", url: "http://10.0.0.1:8080", version: "1.2.3", state: .alive, health: "healthy",
                              startedAt: "2026-11-29T00:00:00.000Z", lastSeen: "2026-11-29T01:02:01.000Z"),
        ClusterMemberSnapshot(node: "node-b", url: "http://10.0.0.2:8080/", version: "1.2.2", state: .missing, health: "degraded",
                              startedAt: "2026-11-28T23:00:00.000Z", lastSeen: "2026-11-29T00:58:00.000Z"),
        ClusterMemberSnapshot(node: "zeta <&\"3>", url: "https://zeta.example/kv", version: "1.2.3", state: .left,
                              health: "unhealthy", startedAt: "2026-11-29T00:30:00.000Z", lastSeen: "2026-11-29T01:00:00.000Z"),
    ])
}
