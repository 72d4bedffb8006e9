import Testing

@testable import KVMonitoring

@Suite struct ExpositionFormatTests {
    @Test(arguments: [
        nil,
        "",
        "*/*",
        "text/plain",
        "text/plain; version=0.0.4",
        "application/json",
        "application/openmetrics-text; version=2.0.0",
        "application/openmetrics-text;version=1.0.0;q=0.1,text/plain;version=0.0.4;q=0.9",
    ])
    func answersPrometheusTextByDefault(accept: String?) {
        let (format, contentType) = ExpositionFormat.negotiate(acceptHeader: accept)
        #expect(format == .prometheusText)
        #expect(contentType == "text/plain; version=0.0.4; charset=utf-8")
    }

    @Test(arguments: [
        "application/openmetrics-text",
        "application/openmetrics-text; version=1.0.0",
        "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2",
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4",
    ])
    func answersOpenMetricsWhenAsked(accept: String) {
        let (format, contentType) = ExpositionFormat.negotiate(acceptHeader: accept)
        #expect(format == .openMetrics)
        #expect(contentType == "application/openmetrics-text; version=1.0.0; charset=utf-8")
    }

    @Test func scraperRendersNegotiatedFormatAndObservesItsDuration() throws {
        let registry = MetricsRegistry()
        let scraper = try MetricsScraper(registry: registry)
        let first = scraper.scrape(acceptHeader: "application/openmetrics-text; version=1.0.0")
        #expect(first.format == .openMetrics)
        #expect(first.body.hasSuffix("# EOF\n"))
        let second = scraper.scrape(acceptHeader: nil)
        #expect(second.contentType == PrometheusTextFormat.contentType)
        #expect(second.body.contains("kvstore_metrics_scrape_duration_seconds_count 1\n"))
        #expect(!second.body.contains("# EOF"))
    }
}
