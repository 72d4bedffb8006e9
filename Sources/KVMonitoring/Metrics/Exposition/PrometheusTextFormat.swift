import KVSnapshot
/// Renders snapshots as the Prometheus text exposition format, version 0.0.4.
public enum PrometheusTextFormat {
    /// The `Content-Type` of this format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The exposition of `families`, in the order given; ends with a newline.
    public static func render(_ families: [MetricFamilySnapshot]) -> String {
        var writer = ExpositionWriter(style: .prometheus, reservingCapacity: ExpositionWriter.estimatedCapacity(of: families))
        for family in families {
            writer.appendHelp(name: family.name, help: family.help)
            writer.appendType(name: family.name, type: family.type.rawValue)
            Self.appendSamples(of: family, sampleName: family.name, counterSuffix: "", to: &writer)
        }
        return writer.output
    }

    /// Writes the sample lines of one family; shared with OpenMetrics, which differs in
    /// counter naming and number style only.
    static func appendSamples(
        of family: MetricFamilySnapshot,
        sampleName name: String,
        counterSuffix: String,
        to writer: inout ExpositionWriter
    ) {
        let labelNames = family.labelNames
        // Bucket bounds and quantiles are the family's: their text is written once.
        var boundTexts: (bounds: [Double], texts: [String]) = ([], [])
        func texts(for bounds: [Double]) -> [String] {
            if bounds != boundTexts.bounds { boundTexts = (bounds, bounds.map(writer.numberText)) }
            return boundTexts.texts
        }
        for sample in family.samples {
            let labels = writer.labelText(labelNames: labelNames, labels: sample.labels)
            switch family.type {
            case .counter, .gauge:
                let suffix = family.type == .counter ? counterSuffix : ""
                writer.appendSample(name: name, suffix: suffix, labels: labels, value: sample.value ?? .nan)
            case .histogram:
                let buckets = (sample.buckets ?? []).filter { $0.upperBound != .infinity }
                let count = sample.count ?? sample.buckets?.last?.cumulativeCount ?? 0
                for (bucket, bound) in zip(buckets, texts(for: buckets.map(\.upperBound))) {
                    writer.appendSample(name: name, suffix: "_bucket", labels: labels, extra: ("le", bound), count: bucket.cumulativeCount)
                }
                writer.appendSample(name: name, suffix: "_bucket", labels: labels, extra: ("le", "+Inf"), count: count)
                writer.appendSample(name: name, suffix: "_sum", labels: labels, value: sample.sum ?? 0)
                writer.appendSample(name: name, suffix: "_count", labels: labels, count: count)
            case .summary:
                let quantiles = sample.quantiles ?? []
                for (quantile, text) in zip(quantiles, texts(for: quantiles.map(\.quantile))) {
                    writer.appendSample(name: name, suffix: "", labels: labels, extra: ("quantile", text), value: quantile.value)
                }
                writer.appendSample(name: name, suffix: "_sum", labels: labels, value: sample.sum ?? 0)
                writer.appendSample(name: name, suffix: "_count", labels: labels, count: sample.count ?? 0)
            }
        }
    }
}
