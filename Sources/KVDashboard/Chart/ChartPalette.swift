/// Fixed colours of the charts (presentation attributes; the page's CSS may restyle by class).
enum ChartPalette {
    /// Line colours in order; a fleet chart has one per node after the total, so there are eight.
    static let series = ["#2563eb", "#d97706", "#dc2626", "#059669", "#7c3aed", "#0891b2", "#db2777", "#65a30d"]
    /// Alert band colours, by the alert's place among the window's firing alerts (sorted by name).
    static let alerts = ["#ef4444", "#f59e0b", "#a855f7", "#ec4899", "#14b8a6", "#f97316"]
    /// The colour of the user's marks.
    static let mark = "#9333ea"
    static let grid = "#d1d5db"
    static let text = "#6b7280"
    static let font = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"

    static func status(_ code: HealthStatusCode) -> String {
        switch code {
        case .absent: "#9ca3af"
        case .healthy: "#16a34a"
        case .degraded: "#d97706"
        case .unhealthy: "#dc2626"
        }
    }
}
