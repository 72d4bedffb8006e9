import Foundation
import KVSnapshot
import KVConfiguration
import KVMonitoring
import KVStorage
import Logging

/// Builds the health monitor with every check the configuration asks for.
func makeHealthMonitor(
    configuration: KVStoreConfiguration, store: any KeyValueStore, metrics: ServerMetrics?,
    snapshotStatus: SnapshotStatus?, startTime: Date, logger: Logger
) throws -> HealthMonitor {
    let health = configuration.health
    let interval = Duration.milliseconds(Int64(health.intervalSeconds * 1000))
    let timeout = Duration.milliseconds(Int64(health.timeoutSeconds * 1000))
    var checks: [any HealthCheck] = [
        StorageHealthCheck.make(store: store, interval: interval, timeout: timeout),
        MemoryHealthCheck(limitMegabytes: Double(health.memoryLimitMB), degradedRatio: health.memoryDegradedRatio,
                          interval: interval, timeout: timeout),
        ThreadHealthCheck(limit: health.threadLimit, interval: interval, timeout: timeout),
    ]
    checks.append(StorageHealthCheck.makeRead(store: store, interval: interval, timeout: timeout))
    var volumes: [DiskHealthCheck.Volume] = []
    if configuration.storage.engine == .lmdb { volumes.append(.init(name: "data", path: configuration.storage.path)) }
    if configuration.snapshots.enabled { volumes.append(.init(name: "snapshots", path: configuration.snapshots.directory)) }
    if !volumes.isEmpty {
        checks.append(DiskHealthCheck(volumes: volumes, minimumFreeBytes: Double(health.diskMinFreeBytes), interval: interval, timeout: timeout))
    }
    if let snapshotStatus {
        checks.append(ClosureHealthCheck(name: "snapshots", kind: "snapshots", critical: false, includedInLiveness: false,
                                         interval: interval, timeout: timeout) { snapshotStatus.outcome() })
    }
    for dependency in health.dependencies {
        let seconds = health.timeoutSeconds(for: dependency)
        checks.append(HTTPDependencyCheck(
            name: dependency.name, url: dependency.url, critical: dependency.critical, expectedStatus: dependency.expectedStatus,
            interval: interval, timeout: .milliseconds(Int64(seconds * 1000))))
    }
    var healthMetrics: HealthMetrics?
    if let registry = metrics?.registry {
        healthMetrics = try HealthMetrics(registry: registry)
        try registry.registerGauge(KVMetrics.memoryLimitBytes).labels().set(Double(health.memoryLimitBytes))
    }
    return try HealthMonitor(
        checks: checks, thresholds: .init(failure: health.failureThreshold, success: health.successThreshold),
        version: KVStoreVersion.version, startTime: startTime, metrics: healthMetrics, logger: logger)
}
