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
            var familyName = family.name
            if family.type == .counter, familyName.hasSuffix("_total") {
                familyName.removeLast("_total".count)
            }
            writer.appendHelp(name: familyName, help: family.help)
            writer.appendType(name: familyName, type: family.type.rawValue)
            if let unit = family.unit, !unit.isEmpty, familyName.hasSuffix("_" + unit) {
                writer.append("# UNIT ")
                writer.append(familyName)
                writer.append(" ")
                writer.append(unit)
                writer.append("\n")
            }
            PrometheusTextFormat.appendSamples(of: family, sampleName: familyName, counterSuffix: "_total", to: &writer)
        }
        writer.append("# EOF\n")
        return writer.output
    }
}
