import KVSnapshot
import Testing
@testable import KVMonitoring

/// A scrape is written straight from the registry's series (label text made once per series,
/// families and series kept in order); it must be the text the snapshot gives, byte for byte.
@Suite struct DirectExpositionTests {
    @Test func bothFormatsEqualTheSnapshotsRendering() throws {
        let registry = try ExpositionFixtures.registry()
        #expect(PrometheusTextFormat.render(registry) == PrometheusTextFormat.render(registry.snapshot()))
        #expect(OpenMetricsTextFormat.render(registry) == OpenMetricsTextFormat.render(registry.snapshot()))
        #expect(ExpositionFormat.openMetrics.render(registry).hasSuffix("# EOF\n"))
    }

    @Test func seriesCreatedOutOfOrderAndTheOverflowSeriesComeOutSorted() throws {
        let registry = try ExpositionFixtures.registry(maxSeriesPerFamily: 3)
        let family = try registry.registerCounter(
            MetricDescriptor(name: "test_b_total", help: "Created late.", type: .counter, labelNames: ["code", "method"]))
        for (code, method) in [("500", "PUT"), ("200", "PUT"), ("200", "GET"), ("404", "GET"), ("201", "PUT")] {
            family.labels(code, method).increment()
        }
        _ = try registry.registerGauge(MetricDescriptor(name: "test_a", help: "Registered after, sorted before.", type: .gauge)).labels()
        let text = PrometheusTextFormat.render(registry)
        #expect(text == PrometheusTextFormat.render(registry.snapshot()))
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("test_b_total") }
        #expect(lines == [
            #"test_b_total{code="200",method="GET"} 1"#, #"test_b_total{code="200",method="PUT"} 1"#,
            #"test_b_total{code="500",method="PUT"} 1"#,
            #"test_b_total{code="__overflow__",method="__overflow__"} 2"#,
        ])
        let names = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] }
        #expect(names == names.sorted(), "families in name order")
        #expect(names.firstIndex(of: "test_a")! < names.firstIndex(of: "test_b_total")!)
    }

    /// A scrape is written in room for the last one's size: one that outgrows it (new series since)
    /// must still be whole, and the body the caller makes gets exactly the exposition's bytes.
    @Test func aScrapeLargerThanTheLastIsWhole() throws {
        let registry = try ExpositionFixtures.registry()
        let scraper = try MetricsScraper(registry: registry)
        let family = try registry.registerCounter(
            MetricDescriptor(name: "test_grown_total", help: "Series added between scrapes.", type: .counter, labelNames: ["key"]))
        _ = scraper.scrape(acceptHeader: nil)
        for index in 0..<200 { family.labels("key-\(index)-" + String(repeating: "x", count: 40)).increment() }
        let bytes = scraper.scrape(acceptHeader: nil) { Array($0) }.body
        let expected = PrometheusTextFormat.render(registry.snapshot())
        // The snapshot does not hold the scrape's own duration summary, which both renderings share otherwise.
        #expect(String(decoding: bytes, as: UTF8.self).split(separator: "\n").filter { !$0.contains("scrape_duration") }
            == expected.split(separator: "\n").filter { !$0.contains("scrape_duration") })
        #expect(String(decoding: bytes, as: UTF8.self).contains(#"test_grown_total{key="key-199-"#))
    }
}
