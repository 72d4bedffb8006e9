import KVStorage
import ServiceLifecycle

/// Keeps the store open while the server runs and closes it after the HTTP server has drained.
///
/// It is listed before the server in the service group, so it is shut down after it.
struct StoreService: Service {
    let store: any KeyValueStore

    func run() async throws {
        try? await gracefulShutdown()
        await store.close()
    }
}
