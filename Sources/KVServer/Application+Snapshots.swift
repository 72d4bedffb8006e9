import Foundation
import KVCompression
import KVConfiguration
import KVMonitoring
import KVSnapshot
import KVStorage
import Logging

/// Builds the snapshot writer service: every snapshot holds the health report, every metric
/// family, the storage statistics and the active alerts of one reading of the server, and on a
/// shared store the cluster's members (see ``SnapshotAssembly``).
func makeSnapshotService(
    configuration: KVStoreConfiguration, store: any KeyValueStore, metrics: ServerMetrics?, observer: ServerObserver,
    status: SnapshotStatus, alerts: AlertEngine?, cluster: ClusterView, startTime: Date, logger: Logger
) throws -> SnapshotService {
    let settings = configuration.snapshots
    try FileManager.default.createDirectory(atPath: settings.directory, withIntermediateDirectories: true)
    let writer = SnapshotWriter(
        configuration: .init(
            directory: settings.directory, nodeID: configuration.node.id,
            retention: SnapshotRetention(maxFiles: settings.maxFiles, maxBytes: settings.maxBytes, maxAge: settings.maxAgeSeconds)),
        compression: settings.compress ? GzipSnapshotCompression() : nil)
    let instruments = try metrics.map { try SnapshotInstruments(registry: $0.registry) }
    let assembly = SnapshotAssembly(
        nodeID: configuration.node.id, version: KVStoreVersion.version, startTime: startTime, store: store, cluster: cluster)
    return SnapshotService(
        writer: writer, observer: observer, alerts: alerts, status: status, instruments: instruments, logger: logger
    ) { observation, active in
        assembly.snapshot(of: observation, alerts: active)
    }
}

/// The archive reader the routes and the dashboard use.
func makeSnapshotArchive(configuration: KVStoreConfiguration) -> SnapshotArchive {
    SnapshotArchive(directory: configuration.snapshots.directory, compression: GzipSnapshotCompression())
}
