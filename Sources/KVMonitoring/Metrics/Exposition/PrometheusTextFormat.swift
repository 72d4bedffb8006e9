import KVSnapshot
/// Renders snapshots as the Prometheus text exposition format, version 0.0.4.
public enum PrometheusTextFormat {
    /// The `Content-Type` of this format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The exposition of `families`, in the order given; ends with a newline.
    public static func render(_ families: [MetricFamilySnapshot]) -> String {
        var writer = ExpositionWriter(style: .prometheus, reservingCapacity: ExpositionWriter.estimatedCapacity(of: families))
        for family in families {
            appendHeader(name: family.name, type: family.type, help: family.help, to: &writer)
            Self.appendSamples(of: family, sampleName: family.name, counterSuffix: "", to: &writer)
        }
        return writer.output
    }

    /// The exposition of every family of `registry` (collectors run first), written straight from
    /// the series: the same text as `render(registry.snapshot())`, without the snapshot.
    public static func render(_ registry: MetricsRegistry) -> String {
        write(registry, reservingCapacity: nil).output
    }

    /// The exposition of `registry`'s families as bytes, in room for `capacity` bytes when given.
    static func write(_ registry: MetricsRegistry, reservingCapacity capacity: Int?) -> ExpositionWriter {
        let families = registry.collectedFamilies()
        var writer = ExpositionWriter(
            style: .prometheus, reservingCapacity: capacity ?? ExpositionWriter.estimatedCapacity(familyCount: families.count))
        for listed in families {
            writer.append(listed.prometheusHeader)
            listed.family.appendSamples(sampleName: listed.family.descriptor.name, counterSuffix: "", to: &writer)
        }
        return writer
    }

    /// A family's `# HELP` and `# TYPE` lines.
    static func appendHeader(name: String, type: MetricType, help: String, to writer: inout ExpositionWriter) {
        writer.appendHelp(name: name, help: help)
        writer.appendType(name: name, type: type.rawValue)
    }

    /// Writes the sample lines of one family; shared with OpenMetrics, which differs in
    /// counter naming and number style only.
    static func appendSamples(
        of family: MetricFamilySnapshot,
        sampleName name: String,
        counterSuffix: String,
        to writer: inout ExpositionWriter
    ) {
        for sample in family.samples {
            writer.startSeries(labelNames: family.labelNames, labels: sample.labels)
            appendSample(sample, type: family.type, sampleName: name, counterSuffix: counterSuffix, to: &writer)
        }
    }

    /// The lines of one sample of a family of `type`, in the series `writer.startSeries` began.
    static func appendSample(_ sample: MetricSample, type: MetricType, sampleName name: String, counterSuffix: String,
                             to writer: inout ExpositionWriter) {
        switch type {
        case .counter, .gauge:
            let suffix = type == .counter ? counterSuffix : ""
            writer.appendSample(name: name, suffix: suffix, value: sample.value ?? .nan)
        case .histogram:
            let buckets = sample.buckets ?? []
            let count = sample.count ?? buckets.last?.cumulativeCount ?? 0
            writer.startLabeledLines(name: name, suffix: "_bucket", label: "le")
            for (index, bucket) in buckets.enumerated() where bucket.upperBound != .infinity {
                let bound = writer.boundText(bucket.upperBound, at: index)
                writer.appendLabeledSample(labelValue: bound, count: bucket.cumulativeCount)
            }
            writer.appendLabeledSample(labelValue: "+Inf", count: count)
            writer.appendSample(name: name, suffix: "_sum", value: sample.sum ?? 0)
            writer.appendSample(name: name, suffix: "_count", count: count)
        case .summary:
            writer.startLabeledLines(name: name, suffix: "", label: "quantile")
            for (index, quantile) in (sample.quantiles ?? []).enumerated() {
                let text = writer.boundText(quantile.quantile, at: index)
                writer.appendLabeledSample(labelValue: text, value: quantile.value)
            }
            writer.appendSample(name: name, suffix: "_sum", value: sample.sum ?? 0)
            writer.appendSample(name: name, suffix: "_count", count: sample.count ?? 0)
        }
    }
}
