import KVSnapshot
/// Renders snapshots as the OpenMetrics 1.0 text format.
public enum OpenMetricsTextFormat {
    /// The `Content-Type` of this format.
    public static let contentType = "application/openmetrics-text; version=1.0.0; charset=utf-8"

    /// The exposition of `families`, in the order given; ends with `# EOF\n`.
    ///
    /// Counters are typed under their name without `_total` and sampled as `name_total`;
    /// `# UNIT` is written only when the unit is a suffix of the family name.
    public static func render(_ families: [MetricFamilySnapshot]) -> String {
        var writer = ExpositionWriter(style: .openMetrics, reservingCapacity: ExpositionWriter.estimatedCapacity(of: families))
        for family in families {
            let familyName = familyName(family.name, family.type)
            appendHeader(name: family.name, type: family.type, help: family.help, unit: family.unit, to: &writer)
            PrometheusTextFormat.appendSamples(of: family, sampleName: familyName, counterSuffix: "_total", to: &writer)
        }
        writer.append("# EOF\n")
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
            style: .openMetrics, reservingCapacity: capacity ?? ExpositionWriter.estimatedCapacity(familyCount: families.count))
        for listed in families {
            writer.append(listed.openMetricsHeader)
            listed.family.appendSamples(sampleName: listed.openMetricsName, counterSuffix: "_total", to: &writer)
        }
        writer.append("# EOF\n")
        return writer
    }

    /// A family's `# HELP`, `# TYPE` and (when the unit ends its name) `# UNIT` lines, under its
    /// OpenMetrics name (a counter's without `_total`).
    static func appendHeader(name: String, type: MetricType, help: String, unit: String?, to writer: inout ExpositionWriter) {
        let familyName = familyName(name, type)
        writer.appendHelp(name: familyName, help: help)
        writer.appendType(name: familyName, type: type.rawValue)
        if let unit, !unit.isEmpty, familyName.hasSuffix("_" + unit) {
            writer.append("# UNIT ")
            writer.append(familyName)
            writer.append(" ")
            writer.append(unit)
            writer.append("\n")
        }
    }

    /// The MetricFamily name: a counter's without its `_total` (its samples are `name_total`).
    static func familyName(_ name: String, _ type: MetricType) -> String {
        type == .counter && name.hasSuffix("_total") ? String(name.dropLast("_total".count)) : name
    }
}
