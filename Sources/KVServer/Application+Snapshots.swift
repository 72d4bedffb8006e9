import Foundation
import KVCompression
import KVConfiguration
import KVMonitoring
import KVSnapshot
import KVStorage
import Logging

/// Builds the snapshot writer service: every snapshot holds the health report, every metric
/// family, the storage statistics and the active alerts (evaluated on each tick).
func makeSnapshotService(
    configuration: KVStoreConfiguration, store: any KeyValueStore, metrics: ServerMetrics?, monitor: HealthMonitor,
    status: SnapshotStatus, alerts: AlertEngine?, startTime: Date, logger: Logger
) throws -> SnapshotService {
    let settings = configuration.snapshots
    try FileManager.default.createDirectory(atPath: settings.directory, withIntermediateDirectories: true)
    let writer = SnapshotWriter(
        configuration: .init(
            directory: settings.directory, nodeID: configuration.node.id,
            retention: SnapshotRetention(maxFiles: settings.maxFiles, maxBytes: settings.maxBytes, maxAge: settings.maxAgeSeconds)),
        compression: settings.compress ? GzipSnapshotCompression() : nil)
    let instruments = try metrics.map { try SnapshotInstruments(registry: $0.registry) }
    let nodeID = configuration.node.id
    let registry = metrics?.registry
    return SnapshotService(
        writer: writer, interval: .milliseconds(Int64(settings.intervalSeconds * 1000)), status: status,
        instruments: instruments, logger: logger
    ) { now in
        // Alerts are evaluated on each tick from the same values the snapshot holds.
        let health = monitor.report(now: now)
        let families = registry?.snapshot() ?? []
        let active = alerts?.evaluate(AlertObservation(time: now, health: health, metrics: families)).active ?? []
        return Snapshot(
            sequence: 0, nodeID: nodeID, time: now, version: KVStoreVersion.version,
            uptimeSeconds: now.timeIntervalSince(startTime), health: health, metrics: families,
            storage: (try? store.statistics()).map(StorageSnapshot.init), alerts: active)
    }
}

/// The archive reader the routes and the dashboard use.
func makeSnapshotArchive(configuration: KVStoreConfiguration) -> SnapshotArchive {
    SnapshotArchive(directory: configuration.snapshots.directory, compression: GzipSnapshotCompression())
}
