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

    /// One series with its label values and their exposition text (`a="x",b="y"`, escaped),
    /// written once when the series is created: a scrape copies it.
    struct Entry {
        let labelValues: [String]
        let series: Series
        let labelText: [UInt8]
    }

    private struct State {
        var series: [[String]: Series] = [:]
        /// Every series sorted by label values, kept so as series are created (a scrape neither
        /// sorts them nor builds their label text).
        var ordered: [Entry] = []
        var regularCount = 0

        mutating func add(_ created: Series, for values: [String], labelNames: [String]) {
            series[values] = created
            var text: [UInt8] = []
            for (index, (name, value)) in zip(labelNames, values).enumerated() {
                if index > 0 { text.append(UInt8(ascii: ",")) }
                text.append(contentsOf: name.utf8)
                text.append(contentsOf: "=\"".utf8)
                ExpositionWriter.appendEscaped(value, escapeQuotes: true, to: &text)
                text.append(UInt8(ascii: "\""))
            }
            let position = ordered.firstIndex { !$0.labelValues.lexicographicallyPrecedes(values) } ?? ordered.endIndex
            ordered.insert(Entry(labelValues: values, series: created, labelText: text), at: position)
        }
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
            initial.add(makeSeries(), for: [], labelNames: [])
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
                return Self.overflow(in: &state, key: self.overflowKey, labelNames: self.labelNames, make: self.makeSeries)
            }
            if state.regularCount >= self.maxSeries {
                self.dropped?.increment()
                return Self.overflow(in: &state, key: self.overflowKey, labelNames: self.labelNames, make: self.makeSeries)
            }
            let created = self.makeSeries()
            state.add(created, for: values, labelNames: self.labelNames)
            state.regularCount += 1
            return created
        }
    }

    /// Every series with its label values and label text, sorted by label values.
    func entries() -> [Entry] {
        self.state.withLock { $0.ordered }
    }

    private func overflowSeries() -> Series {
        self.dropped?.increment()
        return self.state.withLock { state in
            Self.overflow(in: &state, key: self.overflowKey, labelNames: self.labelNames, make: self.makeSeries)
        }
    }

    private static func overflow(in state: inout State, key: [String], labelNames: [String], make: () -> Series) -> Series {
        if let existing = state.series[key] {
            return existing
        }
        let created = make()
        state.add(created, for: key, labelNames: labelNames)
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
