import KVSnapshot
/// A registered counter family; look up a series by label values, then record on it.
public final class CounterFamily: Sendable, SampledFamily {
    /// The family's declaration.
    public let descriptor: MetricDescriptor
    let table: SeriesTable<Counter>
    var shape: FamilyShape { .plain }

    init(descriptor: MetricDescriptor, table: SeriesTable<Counter>) {
        self.descriptor = descriptor
        self.table = table
    }

    /// The series for these label values, in declaration order; cache it on hot paths.
    public func labels(_ values: String...) -> Counter {
        self.table.series(for: values)
    }

    /// The series for these label values, in declaration order.
    public func labels(values: [String]) -> Counter {
        self.table.series(for: values)
    }

    func sample(of series: Counter) -> MetricSample {
        MetricSample(value: series.value)
    }
}
