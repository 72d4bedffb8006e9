import Foundation
import KVSnapshot

/// Turns the window's points, the newest snapshot and the drawn charts into the page's view model.
struct PageModelBuilder {
    let options: DashboardOptions
    let localTime: LocalTime
    let css: String

    func build(points: ArraySlice<SeriesPoint>, newest: Snapshot?, typicalInterval: Double?, window: DashboardWindow,
               charts: [DashboardCharts.Drawn], evidence: [AlertEvidence.Chart] = [], health healthOverWindow: HealthOverWindow, routes: RoutesTable, skipped: [DashboardSkippedFile], now: Date) -> PageModel {
        let nowSeconds = now.timeIntervalSince1970
        let last = points.last
        let newestTime = newest?.time.timeIntervalSince1970
        let age = newestTime.map { nowSeconds - $0 }
        let (stale, staleMessage) = Staleness(options: options).judge(age: age, typicalInterval: typicalInterval)
        let health = newest?.health
        let checks = (health?.checks.values.sorted { $0.name < $1.name } ?? []).map { check($0, window: healthOverWindow.checks[$0.name]) }
        let members = (newest?.cluster?.members ?? []).sorted { $0.node < $1.node }.enumerated().map { member($1, index: $0 + 1) }
        return PageModel(
            css: css,
            title: options.title,
            refresh: options.refreshSeconds > 0,
            refreshSeconds: options.refreshSeconds,
            refreshLink: options.refreshLink,
            overviewLink: options.overviewLink,
            generatedAt: localTime.full(nowSeconds),
            timeZone: localTime.timeZone.identifier,
            windowFrom: localTime.full(window.from),
            windowTo: localTime.full(window.to),
            ranges: RangeHeader(options: options, window: window, localTime: localTime),
            snapshotCount: NumberText.grouped(Double(points.count)),
            hasData: !points.isEmpty,
            node: newest?.nodeID ?? "–",
            version: newest?.version ?? "–",
            newestSnapshotAt: newestTime.map(localTime.full) ?? "none",
            newestAge: age.map { DurationText.format($0) + " ago" } ?? "–",
            stale: stale,
            staleMessage: staleMessage,
            overallStatus: health.map { HealthStatusCode($0.status).name } ?? "unknown",
            overallClass: health.map { HealthStatusCode($0.status).name } ?? "unknown",
            overallSymbol: Self.symbol(health.map { HealthStatusCode($0.status) } ?? .absent),
            checkSummary: health.map {
                "\($0.summary.healthy) healthy, \($0.summary.degraded) degraded, \($0.summary.unhealthy) unhealthy of \($0.summary.total)"
            } ?? "no health report",
            checks: checks,
            hasChecks: !checks.isEmpty,
            system: Self.systemStats(last: last, newest: newest),
            metrics: Self.metricStats(last: last),
            alerts: (newest?.alerts ?? []).map { active in alert(active, evidence: evidence.first { $0.name == active.name }?.anchor) },
            hasAlerts: !(newest?.alerts.isEmpty ?? true),
            evidence: evidence.map { PageModel.Chart(id: $0.drawn.id, title: $0.drawn.title, file: $0.drawn.path, svg: $0.drawn.svg,
                                                     summary: $0.drawn.summary, anchor: $0.anchor) },
            hasEvidence: !evidence.isEmpty,
            hasCluster: newest?.cluster != nil,
            clusterSummary: Self.clusterSummary(newest?.cluster?.members ?? []),
            members: members,
            hasMembers: !members.isEmpty,
            charts: charts.map { PageModel.Chart(id: $0.id, title: $0.title, file: $0.path, svg: $0.svg, summary: $0.summary, anchor: nil) },
            routes: routes.rows,
            hasRoutes: !routes.rows.isEmpty,
            routesSummary: routes.summary,
            objectives: objectiveRows(points: points, window: window),
            hasObjectives: !options.objectives.isEmpty,
            objectivesSummary: objectivesSummary(window: window),
            skippedCount: skipped.count,
            hasSkipped: !skipped.isEmpty,
            skipped: skipped.map { PageModel.Skipped(name: $0.name, reason: $0.reason) }
        )
    }

    /// One row per objective: achieved share, budget left and burn rates over the window's end (see `ObjectiveFigures`).
    private func objectiveRows(points: ArraySlice<SeriesPoint>, window: DashboardWindow) -> [PageModel.Objective] {
        options.objectives.enumerated().map { index, objective in
            let figures = ObjectiveFigures(objective, points: points, end: window.to, periodSeconds: options.objectivePeriodSeconds)
            let share = { (value: Double?, decimals: Int) in value.map { NumberText.fixed($0 * 100, decimals: decimals) + "%" } ?? "–" }
            let burn = { (value: Double?) in value.map { NumberText.significant($0) } ?? "–" }
            let budgetClass = figures.budgetRemaining.map { $0 <= 0 ? "unhealthy" : $0 < 0.25 ? "degraded" : "healthy" } ?? "unknown"
            return PageModel.Objective(
                index: index + 1, name: figures.name, target: ServiceLevelObjective.percentText(objective.target),
                achieved: share(figures.achieved, 3), budget: share(figures.budgetRemaining, 1), budgetClass: budgetClass,
                burn1h: burn(figures.burnRate1h), burn6h: burn(figures.burnRate6h),
                note: figures.boundIsBucket ? (figures.requests > 0 ? nil : "no requests")
                    : "not a bucket bound of kvstore_request_duration_seconds")
        }
    }

    private func objectivesSummary(window: DashboardWindow) -> String {
        let seconds = min(window.to - window.from, options.objectivePeriodSeconds)
        let period = DurationText.format(options.objectivePeriodSeconds)
        return "Achieved and budget over the last \(DurationText.format(seconds))"
            + (seconds < options.objectivePeriodSeconds ? " (the window; the objectives' period is \(period))" : " (the objectives' period)")
            + "; burn rate = the bad share of the last 1 h or 6 h over the share the objective allows."
    }

    private func check(_ report: HealthCheckReport, window: HealthOverWindow.Check?) -> PageModel.Check {
        let code = HealthStatusCode(report.status)
        let worst = window?.worst ?? .absent
        return PageModel.Check(
            name: report.name, kind: report.kind, status: code.name, statusClass: code.name, symbol: Self.symbol(code),
            worst: worst.name, worstClass: worst == .absent ? "unknown" : worst.name, worstSymbol: Self.symbol(worst),
            unhealthyTime: window.map { DurationText.format($0.unhealthySeconds) } ?? "–",
            degradedTime: window.map { DurationText.format($0.degradedSeconds) } ?? "–",
            message: report.message, critical: report.critical,
            duration: NumberText.significant(report.durationMilliseconds) + " ms",
            checkedAt: report.time.flatMap { SnapshotTime.parse($0) }.map { localTime.full($0.timeIntervalSince1970) } ?? "never")
    }

    private func alert(_ alert: AlertSnapshot, evidence: String?) -> PageModel.Alert {
        let severity = alert.severity.lowercased()
        let known = ["critical", "warning", "info"]
        return PageModel.Alert(
            name: alert.name, severity: alert.severity,
            severityClass: known.contains(severity) ? severity : "other",
            state: alert.state.rawValue,
            since: SnapshotTime.parse(alert.activeSince).map { localTime.full($0.timeIntervalSince1970) } ?? alert.activeSince,
            value: NumberText.significant(alert.value),
            summary: alert.summary, description: alert.description,
            labels: alert.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "),
            threshold: alert.threshold.map(NumberText.significant), evidence: evidence)
    }

    private func member(_ member: ClusterMemberSnapshot, index: Int) -> PageModel.Member {
        let (stateClass, stateSymbol): (String, String) = switch member.state {
        case .alive: ("healthy", Self.symbol(.healthy))
        case .missing: ("unhealthy", Self.symbol(.unhealthy))
        case .left: ("unknown", "–")
        }
        let health = ["healthy", "degraded", "unhealthy"].contains(member.health) ? member.health : "unknown"
        let healthCode: HealthStatusCode = switch health {
        case "healthy": .healthy
        case "degraded": .degraded
        case "unhealthy": .unhealthy
        default: .absent
        }
        return PageModel.Member(
            index: index, node: member.node, state: member.state.rawValue, stateClass: stateClass, stateSymbol: stateSymbol,
            health: member.health, healthClass: health, healthSymbol: Self.symbol(healthCode), version: member.version,
            lastSeen: SnapshotTime.parse(member.lastSeen).map { localTime.full($0.timeIntervalSince1970) } ?? member.lastSeen,
            url: member.url, link: Self.isWebLink(member.url) ? member.url : nil)
    }

    /// "3 members: 2 alive, 1 missing, 0 left".
    static func clusterSummary(_ members: [ClusterMemberSnapshot]) -> String {
        guard !members.isEmpty else { return "No members read from the shared store yet." }
        let counts = ClusterMemberSnapshot.State.allCases.map { state in
            "\(members.filter { $0.state == state }.count) \(state.rawValue)"
        }
        return "\(members.count) member\(members.count == 1 ? "" : "s"): " + counts.joined(separator: ", ")
    }

    /// Whether `text` may become a link: an absolute `http` or `https` URL with a host (never
    /// `javascript:` or another scheme; the text is still escaped as an attribute value).
    static func isWebLink(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else { return false }
        return true
    }

    /// The "System" figures (ids: memory, threads, uptime, cpus, host).
    static func systemStats(last: SeriesPoint?, newest: Snapshot?) -> [PageModel.Stat] {
        [
            PageModel.Stat(label: "Resident memory", value: ValueUnit.mebibytes.format(last?.memoryBytes ?? .nan), id: "memory"),
            PageModel.Stat(label: "Threads", value: NumberText.grouped(last?.threads ?? .nan), id: "threads"),
            PageModel.Stat(label: "Uptime", value: DurationText.format(newest?.uptimeSeconds ?? .nan), id: "uptime"),
            PageModel.Stat(label: "CPUs", value: newest.map { String($0.health.system.cpuCount) } ?? "–", id: "cpus"),
            PageModel.Stat(label: "Host", value: newest?.health.system.hostname ?? "–", id: "host"),
        ]
    }

    /// The "Metrics (latest interval)" figures (ids: request-rate, error-ratio, latency-p99, storage-size, keys).
    static func metricStats(last: SeriesPoint?) -> [PageModel.Stat] {
        [
            PageModel.Stat(label: "Request rate", value: ValueUnit.requestsPerSecond.format(last?.requestRate ?? .nan), id: "request-rate"),
            PageModel.Stat(label: "Error ratio (5xx)", value: ValueUnit.percent.format(last?.errorRatio ?? .nan), id: "error-ratio"),
            PageModel.Stat(label: "Latency p99", value: ValueUnit.milliseconds.format(last?.latencyP99 ?? .nan), id: "latency-p99"),
            PageModel.Stat(label: "Storage size", value: ValueUnit.mebibytes.format(last?.storageBytes ?? .nan), id: "storage-size"),
            PageModel.Stat(label: "Keys", value: NumberText.grouped(last?.keys ?? .nan), id: "keys"),
        ]
    }

    static func symbol(_ code: HealthStatusCode) -> String {
        switch code {
        case .healthy: "✓"
        case .degraded: "!"
        case .unhealthy: "✗"
        case .absent: "?"
        }
    }
}
