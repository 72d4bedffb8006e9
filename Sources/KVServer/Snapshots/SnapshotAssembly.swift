import Foundation
import KVMonitoring
import KVSnapshot
import KVStorage

/// Puts one snapshot together from a reading of the server and the alerts active at it: the health
/// report and every metric family of the reading, the storage statistics, the alerts, and on a shared
/// store the cluster's members as last read. Synchronous: nothing here waits for the database.
struct SnapshotAssembly: Sendable {
    let nodeID: String
    let version: String
    let startTime: Date
    let store: any KeyValueStore
    let cluster: ClusterView

    /// The snapshot of `observation` (its sequence is assigned by the writer).
    func snapshot(of observation: AlertObservation, alerts: [AlertSnapshot]) -> Snapshot {
        Snapshot(
            sequence: 0, nodeID: nodeID, time: observation.time, version: version,
            uptimeSeconds: observation.time.timeIntervalSince(startTime), health: observation.health, metrics: observation.metrics,
            storage: (try? store.statistics()).map(StorageSnapshot.init), alerts: alerts,
            cluster: cluster.snapshotSection(at: observation.time))
    }
}
