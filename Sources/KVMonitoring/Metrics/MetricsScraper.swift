/// Builds the metrics endpoint's reply: snapshot, negotiate, render, and time it into
/// `kvstore_metrics_scrape_duration_seconds`.
public final class MetricsScraper: Sendable {
    /// One rendered exposition and the headers that go with it.
    public struct Scrape: Sendable {
        /// The exposition text.
        public let body: String
        /// The format chosen from `Accept`.
        public let format: ExpositionFormat
        /// The `Content-Type` header value.
        public let contentType: String
    }

    private let registry: MetricsRegistry
    private let scrapeDuration: Summary

    /// Registers the scrape-duration summary on `registry`.
    public init(registry: MetricsRegistry) throws(MetricsRegistryError) {
        self.registry = registry
        self.scrapeDuration = try registry.registerSummary(KVMetrics.metricsScrapeDurationSeconds).labels()
    }

    /// Collects and renders every family in the format `acceptHeader` asks for.
    public func scrape(acceptHeader: String?) -> Scrape {
        let clock = ContinuousClock()
        let start = clock.now
        let (format, contentType) = ExpositionFormat.negotiate(acceptHeader: acceptHeader)
        let body = format.render(self.registry)
        self.scrapeDuration.observe(start.duration(to: clock.now))
        return Scrape(body: body, format: format, contentType: contentType)
    }
}
