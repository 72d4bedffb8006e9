import Testing
import KVTestSupport

@testable import KVMonitoring

@Suite struct SummaryTests {
    let descriptor = MetricDescriptor(name: "test_job_seconds", help: "Jobs.", type: .summary, unit: "seconds")

    @Test func reportsQuantilesOfTheWindow() throws {
        let clock = ManualClock()
        let summary = try MetricsRegistry(now: clock.seconds).registerSummary(self.descriptor).labels()
        for value in (1...100).shuffled() {
            summary.observe(Double(value))
        }
        let state = summary.state
        #expect(state.quantileValues == [50, 90, 99])
        #expect(state.count == 100)
        #expect(state.sum == 5050)
    }

    @Test func quantilesAreNaNWhenTheWindowIsEmpty() throws {
        let summary = try MetricsRegistry(now: ManualClock().seconds).registerSummary(self.descriptor).labels()
        let state = summary.state
        #expect(state.quantileValues.count == 3)
        #expect(state.quantileValues.allSatisfy { $0.isNaN })
        #expect(state.count == 0)
        #expect(state.sum == 0)
    }

    @Test func samplesExpireWithTheWindowWhileSumAndCountStayCumulative() throws {
        let clock = ManualClock()
        let registry = MetricsRegistry(now: clock.seconds)
        let summary = try registry.registerSummary(self.descriptor, quantiles: [0.5], window: .seconds(600), ageBuckets: 5).labels()
        for value in 1...10 {
            summary.observe(Double(value))
        }
        clock.advance(by: 300)
        for value in 101...110 {
            summary.observe(Double(value))
        }
        clock.advance(by: 180)  // t = 480: both batches inside the window
        #expect(summary.state.quantileValues == [10])
        clock.advance(by: 180)  // t = 660: the first batch's sub-window has left the window
        #expect(summary.state.quantileValues == [105])
        clock.advance(by: 600)  // t = 1260: everything has left
        let state = summary.state
        #expect(state.quantileValues[0].isNaN)
        #expect(state.count == 20)
        #expect(state.sum == 55 + 1055)
    }

    @Test func memoryIsBoundedAndQuantilesStayClosePastTheSampleCap() throws {
        let clock = ManualClock()
        let summary = try MetricsRegistry(now: clock.seconds)
            .registerSummary(self.descriptor, quantiles: [0.5, 0.9], maxSamplesPerBucket: 100)
            .labels()
        for value in 1...10_000 {
            summary.observe(Double(value))
        }
        let state = summary.state
        #expect(state.count == 10_000)
        #expect(abs(state.quantileValues[0] - 5000) < 1500)
        #expect(abs(state.quantileValues[1] - 9000) < 1000)
    }

    @Test func scrapeDurationSummaryIsExported() throws {
        let registry = MetricsRegistry()
        let scraper = try MetricsScraper(registry: registry)
        _ = scraper.scrape(acceptHeader: nil)
        let family = try #require(registry.snapshot().first { $0.name == KVMetrics.metricsScrapeDurationSeconds.name })
        #expect(family.type == .summary)
        #expect(family.samples.first?.count == 1)
        #expect((family.samples.first?.sum ?? 0) > 0)
        #expect(family.samples.first?.quantiles?.map(\.quantile) == [0.5, 0.9, 0.99])
    }
}
