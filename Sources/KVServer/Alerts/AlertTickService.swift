import Foundation
import KVMonitoring
import ServiceLifecycle

/// Evaluates the alert rules on the snapshot interval when snapshots are off (with snapshots on,
/// each snapshot tick evaluates them from the values it writes).
struct AlertTickService: Service {
    let engine: AlertEngine
    let interval: Duration
    let monitor: HealthMonitor
    let registry: MetricsRegistry?

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                let now = Date()
                engine.evaluate(AlertObservation(time: now, health: monitor.report(now: now), metrics: registry?.snapshot() ?? []))
            }
        }
    }
}
