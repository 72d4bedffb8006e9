import Foundation
import KVSnapshot

/// Two windows of one node's series set side by side (`kvstore-dashboard diff`): per route the rate,
/// error ratio and p99 in each and their change; the checks whose worst state differs; the alerts
/// that fired in one window and not the other; and charts of both overlaid on one axis that counts
/// from each window's start. Every figure comes from the same increases as the dashboard's own.
public struct WindowComparison: Sendable {
    /// One side: its series and the window read.
    public struct Side: Sendable {
        public var store: SeriesStore
        public var window: DashboardWindow

        public init(store: SeriesStore, window: DashboardWindow) {
            self.store = store
            self.window = window
        }

        var points: ArraySlice<SeriesPoint> { store.points(from: window.from, to: window.to) }
    }

    /// One route in both windows.
    public struct Route: Sendable, Equatable {
        public var method: String
        public var route: String
        /// Requests per second, the 5xx share and the p99 (seconds) in each window; nil without requests.
        public var rate: (before: Double?, after: Double?)
        public var errorRatio: (before: Double?, after: Double?)
        public var p99: (before: Double?, after: Double?)

        public static func == (lhs: Route, rhs: Route) -> Bool {
            lhs.method == rhs.method && lhs.route == rhs.route && lhs.rate == rhs.rate && lhs.errorRatio == rhs.errorRatio
                && lhs.p99 == rhs.p99
        }
    }

    /// A check whose worst state differs between the windows.
    public struct Check: Sendable, Equatable {
        public var name: String
        public var before: HealthStatusCode
        public var after: HealthStatusCode
    }

    public let before: Side
    public let after: Side
    /// Every route with requests in either window, busiest (both windows' requests) first.
    public let routes: [Route]
    public let checks: [Check]
    /// The alerts firing at some snapshot of one window and of none of the other, sorted.
    public let firedOnlyBefore: [String]
    public let firedOnlyAfter: [String]
    public let firedInBoth: [String]

    public init(before: Side, after: Side) {
        self.before = before
        self.after = after
        routes = Self.routes(before, after)
        checks = Self.checks(before, after)
        let (firedBefore, firedAfter) = (Self.fired(before), Self.fired(after))
        firedOnlyBefore = firedBefore.subtracting(firedAfter).sorted()
        firedOnlyAfter = firedAfter.subtracting(firedBefore).sorted()
        firedInBoth = firedBefore.intersection(firedAfter).sorted()
    }

    // MARK: - Routes

    private struct RouteFigures {
        var requests: Double
        var rate: Double?
        var errorRatio: Double?
        var p99: Double?
    }

    private static func routeFigures(_ side: Side) -> [RouteReadings.Route: RouteFigures] {
        let (seconds, totals) = RoutesTable.totals(points: side.points, routeCount: side.store.routeNames.count)
        var figures: [RouteReadings.Route: RouteFigures] = [:]
        for (index, total) in totals.enumerated() where total.requests > 0 {
            let p99 = HistogramQuantile.quantile(0.99, buckets: total.latency.buckets)
            figures[side.store.routeNames[index]] = RouteFigures(
                requests: total.requests, rate: SeriesMath.rate(total.requests, over: seconds),
                errorRatio: SeriesMath.ratio(total.errors, of: total.requests), p99: p99.isFinite ? p99 : nil)
        }
        return figures
    }

    private static func routes(_ before: Side, _ after: Side) -> [Route] {
        let (old, new) = (routeFigures(before), routeFigures(after))
        let names = Set(old.keys).union(new.keys).sorted { left, right in
            let (a, b) = ((old[left]?.requests ?? 0) + (new[left]?.requests ?? 0), (old[right]?.requests ?? 0) + (new[right]?.requests ?? 0))
            return a != b ? a > b : (left.method, left.route) < (right.method, right.route)
        }
        return names.map { name in
            Route(method: name.method, route: name.route, rate: (old[name]?.rate, new[name]?.rate),
                  errorRatio: (old[name]?.errorRatio, new[name]?.errorRatio), p99: (old[name]?.p99, new[name]?.p99))
        }
    }

    // MARK: - Health and alerts

    /// Each check's worst state over a window's points, by name.
    static func worstStates(_ side: Side) -> [String: HealthStatusCode] {
        var worst: [String: HealthStatusCode] = [:]
        side.points.forEachInPlace { _, point in
            for (index, name) in side.store.checkNames.enumerated() {
                let status = point.status(ofCheck: index)
                guard status != .absent else { continue }
                if status.rawValue > (worst[name] ?? .absent).rawValue { worst[name] = status }
            }
        }
        return worst
    }

    private static func checks(_ before: Side, _ after: Side) -> [Check] {
        let (old, new) = (worstStates(before), worstStates(after))
        return Set(old.keys).union(new.keys).sorted().compactMap { name in
            let (a, b) = (old[name] ?? .absent, new[name] ?? .absent)
            return a == b ? nil : Check(name: name, before: a, after: b)
        }
    }

    private static func fired(_ side: Side) -> Set<String> {
        var names: Set<String> = []
        side.points.forEachInPlace { _, point in names.formUnion(point.firingAlerts) }
        return names
    }

    // MARK: - Charts

    /// The overlaid charts: each series of both windows resampled onto `columns` columns of one
    /// axis from 0 to the longer window's length (each column takes the point nearest it, within
    /// half a column; NaN where none).
    func charts(columns: Int = 240, localTime: LocalTime) -> (timeline: ChartTimeline, charts: [LineChart]) {
        let length = max(before.window.to - before.window.from, after.window.to - after.window.from, 1)
        let step = length / Double(max(columns - 1, 1))
        let offsets = (0..<columns).map { Double($0) * step }
        func column(_ side: Side, _ value: (SeriesPoint) -> Double) -> [Double] {
            let points = side.points
            let times = points.column { $0.time - side.window.from }
            let values = points.column(value)
            var result: [Double] = []
            result.reserveCapacity(offsets.count)
            var index = 0
            for offset in offsets {
                while index + 1 < times.count, abs(times[index + 1] - offset) <= abs(times[index] - offset) { index += 1 }
                result.append(index < times.count && abs(times[index] - offset) <= step / 2 ? values[index] : .nan)
            }
            return result
        }
        func chart(_ id: String, _ title: String, _ unit: ValueUnit, _ value: (SeriesPoint) -> Double) -> LineChart {
            LineChart(id: id, title: title, unit: unit,
                      lines: [ChartLine(name: "before", values: column(before, value)), ChartLine(name: "after", values: column(after, value))])
        }
        var timeline = ChartTimeline(times: offsets, startsSegment: offsets.indices.map { $0 == 0 }, from: 0, to: length,
                                     localTime: localTime, typicalInterval: step)
        timeline.relative = true
        return (timeline, [
            chart("diff-request-rate", "Request rate", .requestsPerSecond) { $0.requestRate },
            chart("diff-error-ratio", "Error ratio (5xx share of requests)", .percent) { $0.errorRatio },
            chart("diff-latency-p99", "Request latency p99", .milliseconds) { $0.latencyP99 },
            chart("diff-memory", "Resident memory", .mebibytes) { $0.memoryBytes },
        ])
    }
}
