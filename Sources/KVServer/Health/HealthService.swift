import KVMonitoring
import ServiceLifecycle

/// Runs the health checks in the background for as long as the server runs.
struct HealthService: Service {
    let monitor: HealthMonitor

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await monitor.run()
        }
    }
}
