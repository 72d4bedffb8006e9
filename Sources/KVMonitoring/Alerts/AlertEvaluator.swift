import Foundation
import KVSnapshot

/// Computes each rule's value and condition from successive observations.
///
/// Pure apart from its memory: it keeps the request and latency totals of recent observations
/// (as long as the longest rule window, plus one older point) so that windowed rules can use
/// increases. Feed it observations in time order.
public struct AlertEvaluator: Sendable {
    /// The rules, in the order their conditions are returned.
    public let rules: [AlertRule]
    private(set) var history: AlertHistory

    /// Creates an evaluator with no history.
    public init(rules: [AlertRule]) {
        self.rules = rules
        let longest = rules.filter(\.usesWindow).map(\.window.alertSeconds).max() ?? 0
        self.history = AlertHistory(retention: max(0, longest))
    }

    /// Records `observation` and returns one condition per rule, in the order of `rules`.
    public mutating func evaluate(_ observation: AlertObservation) -> [AlertCondition] {
        self.history.record(observation)
        return self.rules.map { self.condition(of: $0, at: observation) }
    }

    /// The condition of `rule` at `observation`, from the history recorded so far.
    func condition(of rule: AlertRule, at observation: AlertObservation) -> AlertCondition {
        switch rule.kind {
        case .healthStatus:
            let rank = Self.rank(observation.health.status)
            return AlertCondition(value: rank, holds: rank >= rule.threshold)
        case .criticalCheck:
            let failing = observation.health.checks.values
                .filter { $0.critical && $0.status == .unhealthy }
                .map(\.name)
                .sorted()
            let labels = failing.isEmpty ? [:] : ["check": failing.joined(separator: ",")]
            return AlertCondition(value: Double(failing.count), holds: !failing.isEmpty, labels: labels)
        case .snapshots:
            let check = observation.health.checks.values
                .filter { $0.kind == "snapshots" }
                .min { $0.name < $1.name }
            guard let check else { return .noData }
            let rank = Self.rank(check.status)
            return AlertCondition(value: rank, holds: check.status != .healthy)
        case .clusterMemberMissing:
            let missing = observation.family(KVMetrics.clusterMembers.name)?.samples
                .first { $0.labels["state"] == "missing" }?.value
            guard let missing, missing.isFinite else { return .noData }
            return AlertCondition(value: missing, holds: missing > 0)
        case .errorRatio:
            let start = observation.time.addingTimeInterval(-rule.window.alertSeconds)
            guard let ratio = self.history.requestIncrease(since: start)?.ratio else { return .noData }
            return AlertCondition(value: ratio, holds: ratio > rule.threshold)
        case .latencyP99:
            let start = observation.time.addingTimeInterval(-rule.window.alertSeconds)
            guard let buckets = self.history.bucketIncrease(since: start) else { return .noData }
            let p99 = HistogramQuantile.quantile(0.99, buckets: buckets)
            guard !p99.isNaN else { return .noData }
            return AlertCondition(value: p99, holds: p99 > rule.threshold)
        case .memoryRatio:
            return Self.ratio(
                observation.gaugeValue(KVMetrics.processResidentMemoryBytes.name),
                of: observation.gaugeValue(KVMetrics.memoryLimitBytes.name),
                above: rule.threshold
            )
        case .storageRatio:
            return Self.ratio(
                observation.gaugeValue(KVMetrics.storageSizeBytes.name),
                of: observation.gaugeValue(KVMetrics.storageQuotaBytes.name),
                above: rule.threshold
            )
        }
    }

    /// The status's ``HealthStatus/rank`` as an alert value.
    static func rank(_ status: HealthStatus) -> Double { Double(status.rank) }

    private static func ratio(_ part: Double?, of whole: Double?, above threshold: Double) -> AlertCondition {
        guard let part, let whole, let ratio = SeriesMath.ratio(part, of: whole) else { return .noData }
        return AlertCondition(value: ratio, holds: ratio > threshold)
    }
}
