import KVSnapshot

/// Increases of a counter family between consecutive snapshots, summed over its series.
///
/// A series whose value went down was reset (the process restarted): its new value is the
/// increase, as Prometheus' `rate` assumes. After a known restart every series counts from zero.
/// A series that first appears counts from zero as well (series are created on first use).
struct CounterDeltas: Sendable {
    /// The total increase, and the part of it from series that `isError` selects.
    struct Increase: Sendable, Equatable {
        var total: Double
        var errors: Double
    }

    private var previous: [String: Double] = [:]
    private var hasPrevious = false

    /// Records `family` (nil: absent in this snapshot) and returns the increase since the last call;
    /// nil on the first call, which has nothing to compare with.
    mutating func advance(_ family: MetricFamilySnapshot?, restarted: Bool,
                          isError: (MetricSample) -> Bool = { _ in false }) -> Increase? {
        var current: [String: Double] = [:]
        var increase = Increase(total: 0, errors: 0)
        for sample in family?.samples ?? [] {
            guard let value = sample.value, value.isFinite else { continue }
            let key = LabelKey.make(sample.labels)
            current[key] = value
            let before = restarted ? 0 : previous[key] ?? 0
            let delta = value >= before ? value - before : value
            increase.total += delta
            if isError(sample) { increase.errors += delta }
        }
        defer {
            previous = current
            hasPrevious = true
        }
        return hasPrevious ? increase : nil
    }
}
