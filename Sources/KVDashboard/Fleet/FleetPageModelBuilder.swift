import Foundation

/// Turns the fleet's nodes and drawn charts into the overview page's view model. Each row's
/// figures are the node page's own (`PageModelBuilder`'s stats of the newest point), so the
/// overview and the node pages always agree.
struct FleetPageModelBuilder {
    let options: DashboardOptions
    let localTime: LocalTime
    let css: String

    func build(nodes: [FleetNode], window: DashboardWindow, charts: [DashboardCharts.Drawn],
               skipped: [DashboardSkippedFile], now: Date) -> FleetPageModel {
        let nowSeconds = now.timeIntervalSince1970
        let staleness = Staleness(options: options)
        let rows = nodes.enumerated().map { row(index: $0.offset + 1, node: $0.element, staleness: staleness, now: nowSeconds) }
        let newestTime = nodes.compactMap { $0.newest?.time.timeIntervalSince1970 }.max()
        let staleNames = zip(nodes, rows).filter { $0.1.stale }.map { $0.0.name }
        let codes = nodes.map { HealthStatusCode($0.newest?.health.status) }
        let worst = Self.worst(codes)
        return FleetPageModel(
            css: css,
            title: options.title,
            refresh: options.refreshSeconds > 0,
            refreshSeconds: options.refreshSeconds,
            refreshLink: options.refreshLink,
            generatedAt: localTime.full(nowSeconds),
            timeZone: localTime.timeZone.identifier,
            windowFrom: localTime.full(window.from),
            windowTo: localTime.full(window.to),
            ranges: RangeHeader(options: options, window: window, localTime: localTime),
            nodeCount: String(nodes.count),
            snapshotCount: NumberText.grouped(Double(nodes.reduce(0) { $0 + $1.points.count })),
            newestSnapshotAt: newestTime.map(localTime.full) ?? "none",
            newestAge: newestTime.map { DurationText.format(nowSeconds - $0) + " ago" } ?? "–",
            stale: !staleNames.isEmpty,
            staleMessage: staleNames.isEmpty ? "" : "Stale data on \(staleNames.count) of \(nodes.count) nodes ("
                + staleNames.joined(separator: ", ") + "): no snapshot in the window, or the newest is too old. "
                + "Are those servers running and writing snapshots?",
            overallStatus: worst.name,
            overallClass: worst.name,
            overallSymbol: PageModelBuilder.symbol(worst),
            healthSummary: Self.summary(codes),
            rows: rows,
            charts: charts.map { PageModel.Chart(id: $0.id, title: $0.title, file: $0.path, svg: $0.svg, summary: $0.summary) },
            skippedCount: skipped.count,
            hasSkipped: !skipped.isEmpty,
            skipped: skipped.map { PageModel.Skipped(name: $0.name, reason: $0.reason) }
        )
    }

    private func row(index: Int, node: FleetNode, staleness: Staleness, now: Double) -> FleetPageModel.Row {
        let last = node.points.last
        let metrics = Dictionary(uniqueKeysWithValues: PageModelBuilder.metricStats(last: last).map { ($0.id, $0.value) })
        let system = Dictionary(uniqueKeysWithValues: PageModelBuilder.systemStats(last: last, newest: node.newest).map { ($0.id, $0.value) })
        let code = HealthStatusCode(node.newest?.health.status)
        let age = node.newest.map { now - $0.time.timeIntervalSince1970 }
        return FleetPageModel.Row(
            index: index,
            name: node.name,
            link: node.folder + "/" + options.pagePath,
            status: code.name,
            statusClass: code.name,
            symbol: PageModelBuilder.symbol(code),
            requestRate: metrics["request-rate"] ?? "–",
            errorRatio: metrics["error-ratio"] ?? "–",
            latencyP99: metrics["latency-p99"] ?? "–",
            memory: system["memory"] ?? "–",
            newestAge: age.map { DurationText.format($0) + " ago" } ?? "none in the window",
            stale: staleness.judge(age: age, typicalInterval: node.store.typicalInterval).stale,
            restarts: String(node.restarts),
            snapshots: NumberText.grouped(Double(node.points.count)))
    }

    /// The worst status of the fleet: unhealthy, then degraded, then no data, then healthy.
    static func worst(_ codes: [HealthStatusCode]) -> HealthStatusCode {
        for code in [HealthStatusCode.unhealthy, .degraded, .absent] where codes.contains(code) { return code }
        return codes.isEmpty ? .absent : .healthy
    }

    /// `3 nodes: 2 healthy, 1 degraded, 0 unhealthy` (and `, 1 without data` when some have none).
    static func summary(_ codes: [HealthStatusCode]) -> String {
        func count(_ code: HealthStatusCode) -> Int { codes.filter { $0 == code }.count }
        let absent = count(.absent)
        return "\(codes.count) nodes: \(count(.healthy)) healthy, \(count(.degraded)) degraded, \(count(.unhealthy)) unhealthy"
            + (absent > 0 ? ", \(absent) without data" : "")
    }
}
