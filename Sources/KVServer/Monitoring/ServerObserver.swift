import Foundation
import KVMonitoring

/// Reads what the server looks like at one moment: the health report and every metric family.
/// The alert rules and the snapshot of a tick are built from the same reading.
struct ServerObserver: Sendable {
    let monitor: HealthMonitor
    let registry: MetricsRegistry?

    func observe(at time: Date) -> AlertObservation {
        AlertObservation(time: time, health: monitor.report(now: time), metrics: registry?.snapshot() ?? [])
    }
}
