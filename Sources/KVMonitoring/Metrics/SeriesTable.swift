import Logging
import Synchronization

/// The series of one family by label values, behind that family's own lock, with a series cap.
///
/// Past `maxSeries` distinct label sets, a lookup of a new set returns one overflow series whose
/// label values are all `__overflow__` and counts the redirect in `dropped`. A lookup with the
/// wrong number of label values is treated the same way (and logged once): it never traps.
final class SeriesTable<Series: AnyObject & Sendable>: Sendable {
    /// The label value that marks the overflow series.
    static var overflowLabelValue: String { "__overflow__" }

    private struct State {
        var series: [[String]: Series] = [:]
        var regularCount = 0
    }

    let familyName: String
    let labelNames: [String]
    private let maxSeries: Int
    private let makeSeries: @Sendable () -> Series
    private let dropped: Counter?
    private let logger: Logger
    private let state: Mutex<State>
    private let overflowKey: [String]
    private let warnedAboutArity = Atomic<Bool>(false)

    init(
        familyName: String,
        labelNames: [String],
        maxSeries: Int,
        dropped: Counter?,
        logger: Logger,
        makeSeries: @escaping @Sendable () -> Series
    ) {
        self.familyName = familyName
        self.labelNames = labelNames
        self.maxSeries = max(0, maxSeries)
        self.dropped = dropped
        self.logger = logger
        self.makeSeries = makeSeries
        self.overflowKey = labelNames.map { _ in Self.overflowLabelValue }
        var initial = State()
        if labelNames.isEmpty {
            initial.series[[]] = makeSeries()
            initial.regularCount = 1
        }
        self.state = Mutex(initial)
    }

    /// The series for `values`, created on first use (or the overflow series, see above).
    func series(for values: [String]) -> Series {
        guard values.count == self.labelNames.count else {
            self.reportWrongArity(values.count)
            return self.overflowSeries()
        }
        return self.state.withLock { state -> Series in
            if let existing = state.series[values] {
                return existing
            }
            if values == self.overflowKey {
                return Self.overflow(in: &state, key: self.overflowKey, make: self.makeSeries)
            }
            if state.regularCount >= self.maxSeries {
                self.dropped?.increment()
                return Self.overflow(in: &state, key: self.overflowKey, make: self.makeSeries)
            }
            let created = self.makeSeries()
            state.series[values] = created
            state.regularCount += 1
            return created
        }
    }

    /// Every series with its label values, sorted by label values.
    func entries() -> [(labelValues: [String], series: Series)] {
        let unsorted = self.state.withLock { state in
            state.series.map { (labelValues: $0.key, series: $0.value) }
        }
        return unsorted.sorted { $0.labelValues.lexicographicallyPrecedes($1.labelValues) }
    }

    private func overflowSeries() -> Series {
        self.dropped?.increment()
        return self.state.withLock { state in
            Self.overflow(in: &state, key: self.overflowKey, make: self.makeSeries)
        }
    }

    private static func overflow(in state: inout State, key: [String], make: () -> Series) -> Series {
        if let existing = state.series[key] {
            return existing
        }
        let created = make()
        state.series[key] = created
        return created
    }

    private func reportWrongArity(_ count: Int) {
        guard !self.warnedAboutArity.exchange(true, ordering: .relaxed) else { return }
        self.logger.error(
            "metric looked up with the wrong number of label values; recording into the overflow series",
            metadata: [
                "metric": "\(self.familyName)",
                "expected": "\(self.labelNames.count)",
                "got": "\(count)",
            ]
        )
    }
}
