import KVMonitoring
import ServiceLifecycle

/// Delivers alert webhooks in the background for as long as the server runs.
struct AlertNotifierService: Service {
    let notifier: AlertNotifier

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await notifier.run()
        }
    }
}
