import Testing

@testable import KVMonitoring

@Suite struct PrometheusTextFormatTests {
    @Test func rendersEveryTypeWithEscapingAndSpecialValues() throws {
        let text = PrometheusTextFormat.render(try ExpositionFixtures.families())
        let expected = #"""
            # HELP test_job_seconds Job time.
            # TYPE test_job_seconds summary
            test_job_seconds{job="empty",quantile="0.5"} NaN
            test_job_seconds{job="empty",quantile="0.9"} NaN
            test_job_seconds_sum{job="empty"} 0
            test_job_seconds_count{job="empty"} 0
            test_job_seconds{job="ten",quantile="0.5"} 5
            test_job_seconds{job="ten",quantile="0.9"} 9
            test_job_seconds_sum{job="ten"} 55
            test_job_seconds_count{job="ten"} 10
            # HELP test_latency_seconds Latency.
            # TYPE test_latency_seconds histogram
            test_latency_seconds_bucket{route="/a",le="0.5"} 1
            test_latency_seconds_bucket{route="/a",le="1"} 2
            test_latency_seconds_bucket{route="/a",le="2.5"} 2
            test_latency_seconds_bucket{route="/a",le="+Inf"} 3
            test_latency_seconds_sum{route="/a"} 4.25
            test_latency_seconds_count{route="/a"} 3
            # HELP test_requests_total Requests with \\ backslash\nand newline "quoted".
            # TYPE test_requests_total counter
            test_requests_total{path="a\\b\"c\nd"} 3
            # HELP test_temperature_celsius No labels.
            # TYPE test_temperature_celsius gauge
            test_temperature_celsius 21.5
            # HELP test_value Odd values.
            # TYPE test_value gauge
            test_value{kind="inf"} +Inf
            test_value{kind="large"} 1.5e+20
            test_value{kind="nan"} NaN
            test_value{kind="neg"} -Inf
            test_value{kind="small"} 1e-06

            """#
        #expect(text == expected)
    }

    @Test func emptyRegistryRendersOnlyTheDroppedSeriesFamily() {
        let text = PrometheusTextFormat.render(MetricsRegistry().snapshot())
        #expect(
            text == """
                # HELP kvstore_metrics_series_dropped_total \(KVMetrics.metricsSeriesDroppedTotal.help)
                # TYPE kvstore_metrics_series_dropped_total counter

                """
        )
    }

    @Test func histogramInfBucketEqualsCountAndBucketsIncrease() throws {
        let registry = MetricsRegistry()
        let histogram = try registry.registerHistogram(KVMetrics.requestDurationSeconds).labels("GET", "/api/v1/kv/{key}")
        for index in 0..<1000 {
            histogram.observe(index < 6 ? 0.0001 : 2)
        }
        let family = try #require(registry.snapshot().first { $0.name == KVMetrics.requestDurationSeconds.name })
        let sample = try #require(family.samples.first)
        let buckets = try #require(sample.buckets)
        #expect(buckets.count == HistogramFamily.defaultDurationBuckets.count + 1)
        #expect(buckets.last?.upperBound == .infinity)
        #expect(buckets.last?.cumulativeCount == sample.count)
        #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0.cumulativeCount <= $1.cumulativeCount })
        #expect(buckets[0].cumulativeCount == 6)  // upper bounds are inclusive
        let text = PrometheusTextFormat.render([family])
        #expect(text.contains(#"kvstore_request_duration_seconds_bucket{method="GET",route="/api/v1/kv/{key}",le="0.0001"} 6"#))
        #expect(text.contains(#"kvstore_request_duration_seconds_bucket{method="GET",route="/api/v1/kv/{key}",le="+Inf"} 1000"#))
    }

    @Test(arguments: [
        (0.0, "0"), (1.0, "1"), (-2.0, "-2"), (0.5, "0.5"), (0.0001, "0.0001"), (1e-06, "1e-06"),
        (123_456_789.0, "123456789"), (1e16, "1e+16"), (Double.nan, "NaN"), (Double.infinity, "+Inf"),
        (-Double.infinity, "-Inf"), (-123.0, "-123"), (999_999_999_999_999.0, "999999999999999"),
        (-999_999_999_999_999.0, "-999999999999999"),
    ])
    func formatsNumbersSoPrometheusParsesThem(value: Double, expected: String) {
        var writer = ExpositionWriter(style: .prometheus, reservingCapacity: 16)
        writer.appendNumber(value)
        #expect(writer.output == expected)
    }

    @Test func writesCountsUpToTheLargest() {
        var writer = ExpositionWriter(style: .prometheus, reservingCapacity: 16)
        for count: UInt64 in [0, 7, 10, 1_000_000, .max] { writer.appendSample(name: "n", suffix: "_count", count: count) }
        #expect(writer.output == "n_count 0\nn_count 7\nn_count 10\nn_count 1000000\nn_count 18446744073709551615\n")
    }
}
