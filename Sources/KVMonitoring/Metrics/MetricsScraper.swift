import Synchronization

/// Builds the metrics endpoint's reply: collect, negotiate, render, and time it into
/// `kvstore_metrics_scrape_duration_seconds`.
public final class MetricsScraper: Sendable {
    /// One rendered exposition and the headers that go with it.
    public struct Scrape<Body> {
        /// The exposition, as the caller made it from its bytes.
        public let body: Body
        /// The format chosen from `Accept`.
        public let format: ExpositionFormat
        /// The `Content-Type` header value.
        public let contentType: String
    }

    private let registry: MetricsRegistry
    private let scrapeDuration: Summary
    /// The last exposition's size: the next one is written in room for a little more, so that it
    /// does not grow (and copy) its buffer on the way.
    private let lastSize = Atomic<Int>(0)

    /// Registers the scrape-duration summary on `registry`.
    public init(registry: MetricsRegistry) throws(MetricsRegistryError) {
        self.registry = registry
        self.scrapeDuration = try registry.registerSummary(KVMetrics.metricsScrapeDurationSeconds).labels()
    }

    /// Collects and renders every family in the format `acceptHeader` asks for; `makeBody` makes
    /// the answer's body from the exposition's bytes, which live only during the call.
    public func scrape<Body>(
        acceptHeader: String?, body makeBody: (UnsafeBufferPointer<UInt8>) throws -> Body
    ) rethrows -> Scrape<Body> {
        let clock = ContinuousClock()
        let start = clock.now
        let (format, contentType) = ExpositionFormat.negotiate(acceptHeader: acceptHeader)
        let last = lastSize.load(ordering: .relaxed)
        let writer = format.write(registry, reservingCapacity: last > 0 ? last + last / 8 : nil)
        lastSize.store(writer.byteCount, ordering: .relaxed)
        // The rendering only: what the caller makes of the bytes (a copy, gzip) is not the scrape's.
        self.scrapeDuration.observe(start.duration(to: clock.now))
        let body = try writer.withBytes(makeBody)
        return Scrape(body: body, format: format, contentType: contentType)
    }

    /// The same, with the exposition as text.
    public func scrape(acceptHeader: String?) -> Scrape<String> {
        scrape(acceptHeader: acceptHeader) { String(decoding: $0, as: UTF8.self) }
    }
}

extension MetricsScraper.Scrape: Sendable where Body: Sendable {}
