import KVSnapshot
/// A registered counter family; look up a series by label values, then record on it.
public final class CounterFamily: Sendable, RegisteredFamily {
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

    func snapshot() -> MetricFamilySnapshot {
        let names = self.descriptor.labelNames
        let samples = self.table.entries().map { entry in
            MetricSample(labels: names.labelDictionary(values: entry.labelValues), value: entry.series.value)
        }
        return MetricFamilySnapshot(descriptor: self.descriptor, samples: samples)
    }
}
