import ServiceLifecycle

/// Loads the dashboard's window from the archive once the server runs (not before it listens),
/// then lives as long as the server. A shutdown during the load stops it at the next file.
struct DashboardService: Service {
    let dashboard: LiveDashboard

    func run() async throws {
        await withGracefulShutdownHandler {
            await dashboard.loadArchive()
        } onGracefulShutdown: {
            dashboard.stopLoadingArchive()
        }
        try? await gracefulShutdown()
    }
}
