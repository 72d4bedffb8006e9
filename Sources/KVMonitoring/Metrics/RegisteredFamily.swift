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

/// A family in the registry's name order, with its exposition header lines (`# HELP`, `# TYPE`,
/// OpenMetrics' `# UNIT`) in both formats, written once at registration: the descriptor does not
/// change, and escaping the help text on every scrape cost a twentieth of it.
struct ListedFamily: Sendable {
    let family: any RegisteredFamily
    let prometheusHeader: [UInt8]
    let openMetricsHeader: [UInt8]
    /// The OpenMetrics sample name (a counter's without `_total`).
    let openMetricsName: String

    init(_ family: any RegisteredFamily) {
        let descriptor = family.descriptor
        self.family = family
        var prometheus = ExpositionWriter(style: .prometheus, reservingCapacity: 256)
        PrometheusTextFormat.appendHeader(name: descriptor.name, type: descriptor.type, help: descriptor.help, to: &prometheus)
        prometheusHeader = prometheus.withBytes { Array($0) }
        var openMetrics = ExpositionWriter(style: .openMetrics, reservingCapacity: 256)
        OpenMetricsTextFormat.appendHeader(
            name: descriptor.name, type: descriptor.type, help: descriptor.help, unit: descriptor.unit, to: &openMetrics)
        openMetricsHeader = openMetrics.withBytes { Array($0) }
        openMetricsName = OpenMetricsTextFormat.familyName(descriptor.name, descriptor.type)
    }
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
