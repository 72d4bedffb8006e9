/// Fixed colours of the charts (presentation attributes; the page's CSS may restyle by class).
enum ChartPalette {
    /// Line colours in order; a fleet chart has one per node after the total, so there are eight.
    static let series = ["#2563eb", "#d97706", "#dc2626", "#059669", "#7c3aed", "#0891b2", "#db2777", "#65a30d"]
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
