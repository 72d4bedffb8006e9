import KVSnapshot

/// The page's routes table: each route's traffic over the window's intervals, busiest first; the
/// top `shown` routes, then the others summed in one row. From the same increases as the charts.
struct RoutesTable {
    struct Row {
        var index: Int
        var method: String
        var route: String
        var rate: String
        var errorRatio: String
        var p50: String
        var p99: String
        var sparkline: String
    }

    /// One route's (or the summed rest's) totals over the window.
    struct Totals {
        var requests = 0.0
        var errors = 0.0
        var latency = BucketCounts()
        /// Requests per second at each point; NaN where the point has no rate.
        var rates: [Double]

        mutating func add(_ other: Totals) {
            requests += other.requests
            errors += other.errors
            latency.add(other.latency)
            rates = zip(rates, other.rates).map(+)
        }
    }

    /// The most routes listed one per row.
    static let shown = 20

    var rows: [Row]
    var summary: String

    /// Each route's totals over `points` (indexed like `routeNames` of the store), and the seconds
    /// their rates are taken over.
    static func totals(points: ArraySlice<SeriesPoint>, routeCount: Int) -> (seconds: Double, totals: [Totals]) {
        var seconds = 0.0
        points.forEachInPlace { _, point in seconds += point.rateSeconds }
        let noRates = points.column { $0.rateSeconds > 0 ? 0 : Double.nan }
        var totals = (0..<routeCount).map { _ in Totals(rates: noRates) }
        points.forEachInPlace { offset, point in
            guard point.rateSeconds > 0 else { return }
            for entry in point.routes {
                let (route, increase) = (entry.route, entry.increase)
                totals[route].requests += increase.requests.total
                totals[route].errors += increase.requests.part
                totals[route].rates[offset] = increase.requests.total / point.rateSeconds
                totals[route].latency.add(increase.latency)
            }
        }
        return (seconds, totals)
    }

    init(points: ArraySlice<SeriesPoint>, routeNames: [RouteReadings.Route], from: Double, to: Double) throws {
        let (seconds, totals) = Self.totals(points: points, routeCount: routeNames.count)
        let busiest = totals.indices.filter { totals[$0].requests > 0 }.sorted { left, right in
            if totals[left].requests != totals[right].requests { return totals[left].requests > totals[right].requests }
            return (routeNames[left].method, routeNames[left].route) < (routeNames[right].method, routeNames[right].route)
        }
        let times = points.column { $0.time }
        func row(_ number: Int, _ method: String, _ route: String, _ total: Totals) throws -> Row {
            let buckets = total.latency.buckets
            return Row(
                index: number, method: method, route: route,
                rate: ValueUnit.requestsPerSecond.format(SeriesMath.rate(total.requests, over: seconds) ?? .nan),
                errorRatio: ValueUnit.percent.format(SeriesMath.ratio(total.errors, of: total.requests) ?? .nan),
                p50: ValueUnit.milliseconds.format(HistogramQuantile.quantile(0.5, buckets: buckets)),
                p99: ValueUnit.milliseconds.format(HistogramQuantile.quantile(0.99, buckets: buckets)),
                sparkline: try Sparkline(times: times, values: total.rates, from: from, to: to)
                    .render(title: "\(method) \(route) requests per second".trimmingPrefixSpace, unit: .requestsPerSecond))
        }
        rows = try busiest.prefix(Self.shown).enumerated().map { offset, route in
            try row(offset + 1, routeNames[route].method, routeNames[route].route, totals[route])
        }
        let rest = busiest.dropFirst(Self.shown)
        if let first = rest.first {
            var summed = totals[first]
            for route in rest.dropFirst() { summed.add(totals[route]) }
            rows.append(try row(Self.shown + 1, "", "\(rest.count) other routes", summed))
        }
        summary = busiest.isEmpty ? "No requests in the window."
            : "\(busiest.count) route\(busiest.count == 1 ? "" : "s") with requests in the window, busiest first"
                + (rest.isEmpty ? "" : " (the top \(Self.shown), then the others summed)")
                + "; rates over the \(DurationText.format(seconds)) of intervals in the window."
    }
}

private extension String {
    /// Without a leading space (the summed row has no method).
    var trimmingPrefixSpace: String { hasPrefix(" ") ? String(dropFirst()) : self }
}
