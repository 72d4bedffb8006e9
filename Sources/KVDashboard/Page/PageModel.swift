/// Everything the page template shows, as display-ready strings. Class names (`statusClass`,
/// `severityClass`) come from fixed word lists, never from data.
struct PageModel {
    struct Stat {
        var label: String
        var value: String
        var id: String
    }

    struct Check {
        var name: String
        var kind: String
        var status: String
        var statusClass: String
        var symbol: String
        /// The worst state in the window, and the time spent unhealthy and degraded in it.
        var worst: String
        var worstClass: String
        var worstSymbol: String
        var unhealthyTime: String
        var degradedTime: String
        var message: String
        var critical: Bool
        var duration: String
        var checkedAt: String
    }

    struct Alert {
        var name: String
        var severity: String
        var severityClass: String
        var state: String
        var since: String
        var value: String
        var summary: String
        var description: String
        var labels: String
        /// The rule's threshold, when the snapshot records it.
        var threshold: String?
        /// The anchor of the alert's "why it fired" chart on the page.
        var evidence: String?
    }

    /// One row of the "Cluster members" table. `url` is set only when it is an `http`/`https` URL.
    struct Member {
        var index: Int
        var node: String
        var state: String
        var stateClass: String
        var stateSymbol: String
        var health: String
        var healthClass: String
        var healthSymbol: String
        var version: String
        var lastSeen: String
        var url: String
        var link: String?
    }

    struct Chart {
        var id: String
        var title: String
        var file: String
        var svg: String
        /// The chart's text alternative, shown under it for text-mode browsers.
        var summary: String
        /// The figure's anchor when it is linked to (an alert's chart).
        var anchor: String? = nil
    }

    struct Objective {
        var index: Int
        var name: String
        var target: String
        var achieved: String
        var budget: String
        var budgetClass: String
        var burn1h: String
        var burn6h: String
        var note: String?
    }

    struct Skipped {
        var name: String
        var reason: String
    }

    var css: String
    var title: String
    var refresh: Bool
    var refreshSeconds: Int
    var refreshLink: String?
    var overviewLink: String?
    var generatedAt: String
    var timeZone: String
    var windowFrom: String
    var windowTo: String
    var ranges: RangeHeader
    var snapshotCount: String
    var hasData: Bool
    var node: String
    var version: String
    var newestSnapshotAt: String
    var newestAge: String
    var stale: Bool
    var staleMessage: String
    var overallStatus: String
    var overallClass: String
    var overallSymbol: String
    var checkSummary: String
    var checks: [Check]
    var hasChecks: Bool
    var system: [Stat]
    var metrics: [Stat]
    var alerts: [Alert]
    var hasAlerts: Bool
    /// The "why it fired" chart of each alert active in the window.
    var evidence: [Chart]
    var hasEvidence: Bool
    /// Whether the newest snapshot has a `cluster` section (a node on a shared store).
    var hasCluster: Bool
    var clusterSummary: String
    var members: [Member]
    var hasMembers: Bool
    var charts: [Chart]
    var routes: [RoutesTable.Row]
    var hasRoutes: Bool
    var routesSummary: String
    var objectives: [Objective]
    var hasObjectives: Bool
    var objectivesSummary: String
    var skippedCount: Int
    var hasSkipped: Bool
    var skipped: [Skipped]
}
