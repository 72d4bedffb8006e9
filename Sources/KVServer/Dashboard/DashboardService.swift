import ServiceLifecycle

/// Loads the dashboard's window from the archive once the server runs (not before it listens),
/// then lives as long as the server.
struct DashboardService: Service {
    let dashboard: LiveDashboard

    func run() async throws {
        await dashboard.loadArchive()
        try? await gracefulShutdown()
    }
}
