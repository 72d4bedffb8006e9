import KVSnapshot
/// A registered gauge family; look up a series by label values, then record on it.
public final class GaugeFamily: Sendable, SampledFamily {
    /// The family's declaration.
    public let descriptor: MetricDescriptor
    let table: SeriesTable<Gauge>
    var shape: FamilyShape { .plain }

    init(descriptor: MetricDescriptor, table: SeriesTable<Gauge>) {
        self.descriptor = descriptor
        self.table = table
    }

    /// The series for these label values, in declaration order; cache it on hot paths.
    public func labels(_ values: String...) -> Gauge {
        self.table.series(for: values)
    }

    /// The series for these label values, in declaration order.
    public func labels(values: [String]) -> Gauge {
        self.table.series(for: values)
    }

    func sample(of series: Gauge) -> MetricSample {
        MetricSample(value: series.value)
    }
}
