import Foundation
import KVCompression
import KVConfiguration
import KVMonitoring
import KVSnapshot
import KVStorage
import Logging

/// Builds the snapshot writer service: every snapshot holds the health report, every metric
/// family, the storage statistics and the active alerts of one reading of the server.
func makeSnapshotService(
    configuration: KVStoreConfiguration, store: any KeyValueStore, metrics: ServerMetrics?, observer: ServerObserver,
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
    return SnapshotService(
        writer: writer, observer: observer, alerts: alerts, status: status, instruments: instruments, logger: logger
    ) { observation, active in
        Snapshot(
            sequence: 0, nodeID: nodeID, time: observation.time, version: KVStoreVersion.version,
            uptimeSeconds: observation.time.timeIntervalSince(startTime), health: observation.health, metrics: observation.metrics,
            storage: (try? store.statistics()).map(StorageSnapshot.init), alerts: active)
    }
}

/// The archive reader the routes and the dashboard use.
func makeSnapshotArchive(configuration: KVStoreConfiguration) -> SnapshotArchive {
    SnapshotArchive(directory: configuration.snapshots.directory, compression: GzipSnapshotCompression())
}
