import KVSnapshot
/// What the registry needs from every family: its declaration, its shape, a snapshot, and its
/// exposition lines.
protocol RegisteredFamily: AnyObject, Sendable {
    /// The descriptor the family was registered with.
    var descriptor: MetricDescriptor { get }
    /// Bucket bounds or quantiles and window: registering again must match them too.
    var shape: FamilyShape { get }
    /// Every series, sorted by label values.
    func snapshot() -> MetricFamilySnapshot
    /// Every series' sample lines, sorted by label values, written straight from the series with
    /// their label text made at creation: what `snapshot()` rendered would give, without a label
    /// dictionary per series (``PrometheusTextFormat/appendSamples(of:sampleName:counterSuffix:to:)``).
    func appendSamples(sampleName: String, counterSuffix: String, to writer: inout ExpositionWriter)
}

/// A family whose series each read as one sample: its snapshot and its exposition lines share
/// `sample(of:)`.
protocol SampledFamily: RegisteredFamily {
    associatedtype Series: AnyObject & Sendable
    var table: SeriesTable<Series> { get }
    /// The series' reading, without labels.
    func sample(of series: Series) -> MetricSample
}

extension SampledFamily {
    func snapshot() -> MetricFamilySnapshot {
        let names = self.descriptor.labelNames
        let samples = self.table.entries().map { entry in
            var sample = self.sample(of: entry.series)
            sample.labels = names.labelDictionary(values: entry.labelValues)
            return sample
        }
        return MetricFamilySnapshot(descriptor: self.descriptor, samples: samples)
    }

    func appendSamples(sampleName: String, counterSuffix: String, to writer: inout ExpositionWriter) {
        let type = self.descriptor.type
        for entry in self.table.entries() {
            writer.startSeries(labelText: entry.labelText)
            PrometheusTextFormat.appendSample(
                self.sample(of: entry.series), type: type, sampleName: sampleName, counterSuffix: counterSuffix, to: &writer)
        }
    }
}

/// The creation parameters beyond the descriptor that a second registration must repeat.
enum FamilyShape: Equatable, Sendable {
    case plain
    case histogram(upperBounds: [Double])
    case summary(quantiles: [Double], window: Double)
}

extension Array where Element == String {
    /// Pairs label names with these values, as a dictionary for a snapshot sample.
    func labelDictionary(values: [String]) -> [String: String] {
        var result = [String: String](minimumCapacity: self.count)
        for (name, value) in zip(self, values) {
            result[name] = value
        }
        return result
    }
}
