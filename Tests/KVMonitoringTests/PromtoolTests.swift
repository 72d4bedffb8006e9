import KVSnapshot
import Foundation
import Testing

@testable import KVMonitoring

/// Runs Prometheus' own linter over a full exposition; skipped where promtool is not installed.
@Suite struct PromtoolTests {
    static let promtool = "/usr/bin/promtool"

    /// Every server family with data, the process collector, build info and the awkward fixtures.
    static func fullExposition() throws -> [MetricFamilySnapshot] {
        let registry = MetricsRegistry()
        try ProcessMetricsCollector().install(on: registry)
        try BuildInfo(version: "0.1.0", revision: "deadbeef").install(on: registry)
        let scraper = try MetricsScraper(registry: registry)
        _ = scraper.scrape(acceptHeader: nil)
        try registry.registerCounter(KVMetrics.httpRequestsTotal).labels("GET", "/api/v1/kv/{key}", "200").increment()
        try registry.registerHistogram(KVMetrics.requestDurationSeconds).labels("GET", "/api/v1/kv/{key}").observe(0.0003)
        try registry.registerHistogram(KVMetrics.httpResponseSizeBytes, buckets: HistogramFamily.defaultSizeBuckets)
            .labels("GET", "/api/v1/kv/{key}").observe(512)
        try registry.registerGauge(KVMetrics.httpRequestsInFlight).labels().set(1)
        let storage = try registry.registerCounter(KVMetrics.storageOperationsTotal)
        for op in ["get", "put", "delete", "list", "commit"] {
            storage.labels(op).increment()
        }
        return registry.snapshot() + (try ExpositionFixtures.families())
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: promtool), "promtool not installed"))
    func promtoolReportsNothingForTheFullExposition() throws {
        let text = PrometheusTextFormat.render(try Self.fullExposition())
        let (status, output) = try Self.runPromtool(stdin: text)
        #expect(output == "")
        #expect(status == 0)
    }

    static func runPromtool(stdin text: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
