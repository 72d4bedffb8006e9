import KVSnapshot
/// A text format for the metrics endpoint, chosen from the request's `Accept` header.
public enum ExpositionFormat: String, Sendable, CaseIterable {
    /// Prometheus text 0.0.4, the default.
    case prometheusText
    /// OpenMetrics 1.0.0.
    case openMetrics

    /// The `Content-Type` to answer with.
    public var contentType: String {
        switch self {
        case .prometheusText: PrometheusTextFormat.contentType
        case .openMetrics: OpenMetricsTextFormat.contentType
        }
    }

    /// Renders `families` in this format.
    public func render(_ families: [MetricFamilySnapshot]) -> String {
        switch self {
        case .prometheusText: PrometheusTextFormat.render(families)
        case .openMetrics: OpenMetricsTextFormat.render(families)
        }
    }

    /// Renders every family of `registry` in this format, straight from its series.
    public func render(_ registry: MetricsRegistry) -> String {
        write(registry, reservingCapacity: nil).output
    }

    /// The same as bytes, in room for `capacity` bytes when given.
    func write(_ registry: MetricsRegistry, reservingCapacity capacity: Int?) -> ExpositionWriter {
        switch self {
        case .prometheusText: PrometheusTextFormat.write(registry, reservingCapacity: capacity)
        case .openMetrics: OpenMetricsTextFormat.write(registry, reservingCapacity: capacity)
        }
    }

    /// OpenMetrics when `Accept` asks for `application/openmetrics-text` (version 1.x, 0.0.1 or
    /// none) at least as strongly as for plain text; Prometheus text 0.0.4 otherwise.
    public static func negotiate(acceptHeader: String?) -> (format: ExpositionFormat, contentType: String) {
        guard let acceptHeader, !acceptHeader.isEmpty else {
            return (.prometheusText, PrometheusTextFormat.contentType)
        }
        var openMetricsQuality = 0.0
        var textQuality = 0.0
        for range in acceptHeader.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingSpaces().lowercased() }
            guard let mediaType = parts.first else { continue }
            var quality = 1.0
            var version: String?
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces() }
                guard pair.count == 2 else { continue }
                if pair[0] == "q" { quality = Double(pair[1]) ?? 0 }
                if pair[0] == "version" { version = pair[1] }
            }
            switch mediaType {
            case "application/openmetrics-text":
                if version == nil || version!.hasPrefix("1.") || version == "0.0.1" {
                    openMetricsQuality = max(openMetricsQuality, quality)
                }
            case "text/plain", "text/*", "*/*":
                textQuality = max(textQuality, quality)
            default:
                break
            }
        }
        if openMetricsQuality > 0, openMetricsQuality >= textQuality {
            return (.openMetrics, OpenMetricsTextFormat.contentType)
        }
        return (.prometheusText, PrometheusTextFormat.contentType)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    fileprivate func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = self.firstIndex(where: { !isSpace($0) }), let end = self.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
