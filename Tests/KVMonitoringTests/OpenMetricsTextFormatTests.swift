import KVSnapshot
import Testing

@testable import KVMonitoring

@Suite struct OpenMetricsTextFormatTests {
    @Test func rendersEveryTypeWithTotalSuffixUnitAndEOF() throws {
        let text = OpenMetricsTextFormat.render(try ExpositionFixtures.families())
        let expected = #"""
            # HELP test_job_seconds Job time.
            # TYPE test_job_seconds summary
            # UNIT test_job_seconds seconds
            test_job_seconds{job="empty",quantile="0.5"} NaN
            test_job_seconds{job="empty",quantile="0.9"} NaN
            test_job_seconds_sum{job="empty"} 0.0
            test_job_seconds_count{job="empty"} 0
            test_job_seconds{job="ten",quantile="0.5"} 5.0
            test_job_seconds{job="ten",quantile="0.9"} 9.0
            test_job_seconds_sum{job="ten"} 55.0
            test_job_seconds_count{job="ten"} 10
            # HELP test_latency_seconds Latency.
            # TYPE test_latency_seconds histogram
            # UNIT test_latency_seconds seconds
            test_latency_seconds_bucket{route="/a",le="0.5"} 1
            test_latency_seconds_bucket{route="/a",le="1.0"} 2
            test_latency_seconds_bucket{route="/a",le="2.5"} 2
            test_latency_seconds_bucket{route="/a",le="+Inf"} 3
            test_latency_seconds_sum{route="/a"} 4.25
            test_latency_seconds_count{route="/a"} 3
            # HELP test_requests Requests with \\ backslash\nand newline \"quoted\".
            # TYPE test_requests counter
            test_requests_total{path="a\\b\"c\nd"} 3.0
            # HELP test_temperature_celsius No labels.
            # TYPE test_temperature_celsius gauge
            # UNIT test_temperature_celsius celsius
            test_temperature_celsius 21.5
            # HELP test_value Odd values.
            # TYPE test_value gauge
            test_value{kind="inf"} +Inf
            test_value{kind="large"} 1.5e+20
            test_value{kind="nan"} NaN
            test_value{kind="neg"} -Inf
            test_value{kind="small"} 1e-06
            # EOF

            """#
        #expect(text == expected)
    }

    @Test func omitsUnitWhenItIsNotASuffixOfTheName() {
        let family = MetricFamilySnapshot(
            name: "test_uptime",
            help: "Uptime.",
            type: .gauge,
            unit: "seconds",
            samples: [MetricSample(value: 2)]
        )
        #expect(OpenMetricsTextFormat.render([family]) == "# HELP test_uptime Uptime.\n# TYPE test_uptime gauge\ntest_uptime 2.0\n# EOF\n")
    }

    @Test func counterUnitIsCheckedAgainstTheNameWithoutTotal() {
        let family = MetricFamilySnapshot(descriptor: KVMetrics.processCPUSecondsTotal, samples: [MetricSample(value: 1.25)])
        let text = OpenMetricsTextFormat.render([family])
        #expect(text.contains("# TYPE process_cpu_seconds counter\n# UNIT process_cpu_seconds seconds\nprocess_cpu_seconds_total 1.25\n"))
    }
}
