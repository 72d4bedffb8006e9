/// Everything the fleet overview template shows, as display-ready strings. Class names come from
/// fixed word lists and links from file-name components (letters, digits, `.`, `_`, `-`), never raw data.
struct FleetPageModel {
    /// One node's row.
    struct Row {
        /// 1, 2, 3… in table order: element ids are `node-<index>-…`, never data.
        var index: Int
        var name: String
        /// `nodes/<component>/index.html`.
        var link: String
        var status: String
        var statusClass: String
        var symbol: String
        var requestRate: String
        var errorRatio: String
        var latencyP99: String
        var memory: String
        var newestAge: String
        var stale: Bool
        var restarts: String
        var snapshots: String
    }

    var css: String
    var title: String
    var refresh: Bool
    var refreshSeconds: Int
    var refreshLink: String?
    var generatedAt: String
    var timeZone: String
    var windowFrom: String
    var windowTo: String
    var ranges: RangeHeader
    var nodeCount: String
    var snapshotCount: String
    var newestSnapshotAt: String
    var newestAge: String
    var stale: Bool
    var staleMessage: String
    var overallStatus: String
    var overallClass: String
    var overallSymbol: String
    var healthSummary: String
    var rows: [Row]
    var charts: [PageModel.Chart]
    var skippedCount: Int
    var hasSkipped: Bool
    var skipped: [PageModel.Skipped]
}
