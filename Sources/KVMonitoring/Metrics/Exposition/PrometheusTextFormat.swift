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
        for sample in family.samples {
            switch family.type {
            case .counter, .gauge:
                let suffix = family.type == .counter ? counterSuffix : ""
                writer.appendSample(name: name, suffix: suffix, labelNames: labelNames, labels: sample.labels, value: sample.value ?? .nan)
            case .histogram:
                let buckets = sample.buckets ?? []
                let count = sample.count ?? buckets.last?.cumulativeCount ?? 0
                for bucket in buckets where bucket.upperBound != .infinity {
                    writer.appendSample(
                        name: name, suffix: "_bucket", labelNames: labelNames, labels: sample.labels,
                        extraLabel: ("le", bucket.upperBound), count: bucket.cumulativeCount
                    )
                }
                writer.appendSample(
                    name: name, suffix: "_bucket", labelNames: labelNames, labels: sample.labels,
                    extraLabel: ("le", .infinity), count: count
                )
                writer.appendSample(name: name, suffix: "_sum", labelNames: labelNames, labels: sample.labels, value: sample.sum ?? 0)
                writer.appendSample(name: name, suffix: "_count", labelNames: labelNames, labels: sample.labels, count: count)
            case .summary:
                for quantile in sample.quantiles ?? [] {
                    writer.appendSample(
                        name: name, suffix: "", labelNames: labelNames, labels: sample.labels,
                        extraLabel: ("quantile", quantile.quantile), value: quantile.value
                    )
                }
                writer.appendSample(name: name, suffix: "_sum", labelNames: labelNames, labels: sample.labels, value: sample.sum ?? 0)
                writer.appendSample(name: name, suffix: "_count", labelNames: labelNames, labels: sample.labels, count: sample.count ?? 0)
            }
        }
    }
}
