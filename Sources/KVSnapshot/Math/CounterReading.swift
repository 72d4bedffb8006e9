/// One reading of a counter family: each series' value by `SeriesKey`, and whether the series
/// belongs to the part a ratio is taken of (for requests: a 5xx code).
public struct CounterReading: Sendable, Equatable {
    /// One series' value and whether it counts toward `CounterIncrease.part`.
    public struct Series: Sendable, Equatable {
        public var value: Double
        public var isPart: Bool

        public init(value: Double, isPart: Bool) {
            self.value = value
            self.isPart = isPart
        }
    }

    /// The series with a finite value, by `SeriesKey`.
    public var series: [String: Series]

    /// A reading of these series, by `SeriesKey`.
    public init(series: [String: Series]) {
        self.series = series
    }

    /// Reads `family` (nil: absent, no series); `isPart` selects the series of the part.
    public init(_ family: MetricFamilySnapshot?, isPart: (MetricSample) -> Bool = { _ in false }) {
        var series: [String: Series] = [:]
        for sample in family?.samples ?? [] {
            guard let value = sample.value, value.isFinite else { continue }
            series[SeriesKey.make(sample.labels)] = Series(value: value, isPart: isPart(sample))
        }
        self.series = series
    }

    /// A reading of `kvstore_http_requests_total` whose part is the 5xx series.
    public static func requests(_ family: MetricFamilySnapshot?) -> CounterReading {
        CounterReading(family, isPart: SeriesMath.isServerError)
    }

    /// The increase since `before`, summed over series; after a restart every series counts from zero.
    public func increase(since before: CounterReading, restarted: Bool) -> CounterIncrease {
        var increase = CounterIncrease()
        for (key, series) in self.series {
            let delta = SeriesMath.counterIncrease(from: restarted ? nil : before.series[key]?.value, to: series.value)
            increase.total += delta
            if series.isPart { increase.part += delta }
        }
        return increase
    }
}

/// How much a counter family went up, in total and in the selected part (e.g. 5xx requests).
public struct CounterIncrease: Sendable, Equatable {
    public var total: Double
    public var part: Double

    public init(total: Double = 0, part: Double = 0) {
        self.total = total
        self.part = part
    }

    /// Adds another interval's increase.
    public static func + (lhs: CounterIncrease, rhs: CounterIncrease) -> CounterIncrease {
        CounterIncrease(total: lhs.total + rhs.total, part: lhs.part + rhs.part)
    }

    /// `part / total`; nil without any increase.
    public var ratio: Double? { SeriesMath.ratio(self.part, of: self.total) }
}
