import KVSnapshot

/// One service level objective's figures over a stretch of a node's series, from the same counter
/// and bucket increases as the charts: the share of good requests achieved over the objective's
/// period (the window's end back by the period, or the whole window when it is shorter), the error
/// budget left of that stretch, and the burn rate (the bad share over the allowed bad share,
/// `1 - target`) of the last hour and the last six hours, as the SRE workbook's multiwindow alerts
/// (and `deploy/prometheus/slo.yml`) take it.
public struct ObjectiveFigures: Sendable, Equatable, Encodable {
    /// The objective as written (`availability:99.9%`).
    public var objective: String
    public var name: String
    public var target: Double
    /// The seconds the achieved share and the budget are taken over.
    public var seconds: Double
    /// Requests counted in that stretch.
    public var requests: Double
    /// The good share over it; nil without requests.
    public var achieved: Double?
    /// `1 - (1 - achieved) / (1 - target)`: 1 with no bad request, 0 when the budget is spent, below 0 past it.
    public var budgetRemaining: Double?
    public var burnRate1h: Double?
    public var burnRate6h: Double?
    /// For a latency objective, whether its bound is one of the histogram's bucket bounds (when it is
    /// not, nothing can be counted against it).
    public var boundIsBucket: Bool

    /// The figures of `objective` over `points`, the period ending at `end` (seconds since 1970).
    public init(_ objective: ServiceLevelObjective, points: ArraySlice<SeriesPoint>, end: Double, periodSeconds: Double) {
        self.objective = objective.description
        name = objective.name
        target = objective.target
        let start = max(points.first?.time ?? end, end - periodSeconds)
        seconds = max(end - start, 0)
        var period = Tally(), hour = Tally(), sixHours = Tally()
        var boundSeen = false
        points.forEachInPlace { _, point in
            guard point.time > start, point.time <= end else { return }
            var tally = Tally()
            switch objective.kind {
            case .availability:
                guard point.requestIncrease.isFinite, point.serverErrorIncrease.isFinite else { return }
                tally = Tally(total: point.requestIncrease, bad: point.serverErrorIncrease)
            case .latency(let bound):
                guard !point.latencyBuckets.isEmpty else { return }
                let total = point.latencyBuckets.first { $0.upperBound == .infinity }?.count ?? 0
                guard let within = point.latencyBuckets.first(where: { abs($0.upperBound - bound) <= bound * 1e-9 }) else { return }
                boundSeen = true
                tally = Tally(total: total, bad: total - within.count)
            }
            period.add(tally)
            if point.time > end - 3_600 { hour.add(tally) }
            if point.time > end - 6 * 3_600 { sixHours.add(tally) }
        }
        requests = period.total
        let allowed = 1 - objective.target
        achieved = period.badShare.map { 1 - $0 }
        budgetRemaining = period.badShare.map { 1 - $0 / allowed }
        burnRate1h = hour.badShare.map { $0 / allowed }
        burnRate6h = sixHours.badShare.map { $0 / allowed }
        if case .latency = objective.kind { boundIsBucket = boundSeen } else { boundIsBucket = true }
    }

    private struct Tally {
        var total = 0.0
        var bad = 0.0

        mutating func add(_ other: Tally) {
            total += other.total
            bad += other.bad
        }

        var badShare: Double? { total > 0 ? max(bad, 0) / total : nil }
    }

    enum CodingKeys: String, CodingKey {
        case objective, name, target, seconds, requests, achieved
        case budgetRemaining = "budget_remaining"
        case burnRate1h = "burn_rate_1h"
        case burnRate6h = "burn_rate_6h"
        case boundIsBucket = "bound_is_bucket"
    }
}
