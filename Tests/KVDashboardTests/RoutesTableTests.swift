import Foundation
import KVTestSupport
import KVSnapshot
import Testing
@testable import KVDashboard

@Suite struct RoutesTableTests {
    /// Three snapshots 10 s apart. `GET /a`: 90 + 10 (5xx) requests per interval, latency buckets
    /// (0.1, 0.5, +Inf) growing by 50/100/100 per interval. `PUT /b`: 20 per interval. Routes
    /// `GET /r00` ... `GET /r21`: 1 per interval each.
    static func snapshots() -> [Snapshot] {
        (0..<3).map { step in
            let n = Double(step)
            var samples = [
                MetricSample(labels: ["method": "GET", "route": "/a", "code": "200"], value: 90 * n),
                MetricSample(labels: ["method": "GET", "route": "/a", "code": "500"], value: 10 * n),
                MetricSample(labels: ["method": "PUT", "route": "/b", "code": "201"], value: 20 * n),
            ]
            samples += (0..<22).map { MetricSample(labels: ["method": "GET", "route": String(format: "/r%02d", $0), "code": "200"], value: n) }
            var snapshot = Fixture.snapshot(offset: 10 * n, uptime: 100 + 10 * n, sequence: UInt64(step + 1))
            let counts = [50 * step, 100 * step, 100 * step].map(UInt64.init)
            snapshot.metrics.removeAll { $0.name == "kvstore_http_requests_total" }
            snapshot.metrics += [
                MetricFamilySnapshot(name: "kvstore_http_requests_total", help: "requests", type: .counter,
                                     labelNames: ["method", "route", "code"], samples: samples),
                MetricFamilySnapshot(name: "kvstore_request_duration_seconds", help: "latency", type: .histogram, unit: "seconds",
                                     labelNames: ["method", "route"], samples: [
                                         MetricSample(labels: ["method": "GET", "route": "/a"],
                                                      buckets: zip([0.1, 0.5, .infinity], counts).map { HistogramBucket(upperBound: $0, cumulativeCount: $1) },
                                                      sum: 1, count: counts[2]),
                                     ]),
            ]
            return snapshot
        }
    }

    func text(_ id: String, in page: String) -> String? {
        guard let start = page.range(of: "id=\"\(id)\">") else { return nil }
        let rest = page[start.upperBound...]
        return rest.range(of: "<").map { String(rest[..<$0.lowerBound]) }
    }

    func page(_ snapshots: [Snapshot]) throws -> String {
        let generator = DashboardGenerator(templates: try DashboardTemplates(directory: Fixture.templatesFolder),
                                           options: DashboardOptions(window: .last(3600)))
        let site = try generator.render(snapshots: snapshots, now: Date(timeIntervalSince1970: Fixture.start + 25))
        try XMLWellFormedness.check(site)
        return site.page
    }

    @Test func routesAreListedBusiestFirstWithTheirRatesErrorsAndQuantiles() throws {
        let page = try page(Self.snapshots())
        func row(_ index: Int) -> [String?] {
            ["method", "route", "rate", "errors", "p50", "p99"].map { text("route-\(index)-\($0)", in: page) }
        }
        // 200 requests over the 20 s of the two intervals; 20 of them 5xx; p50 at rank 100 of the
        // summed buckets (100, 200, 200) is the first bucket's top; p99 at rank 198 is 98% into (0.1, 0.5].
        #expect(row(1) == ["GET", "/a", "10.0 req/s", "10.0%", "100 ms", "492 ms"])
        #expect(row(2) == ["PUT", "/b", "2.00 req/s", "0%", "–", "–"])
        #expect(row(3) == ["GET", "/r00", "0.100 req/s", "0%", "–", "–"])
        #expect(row(20) == ["GET", "/r17", "0.100 req/s", "0%", "–", "–"])
        // The 21st row sums the four routes beyond the top 20.
        #expect(row(21) == ["", "4 other routes", "0.400 req/s", "0%", "–", "–"])
        #expect(text("route-22-route", in: page) == nil)
        #expect(text("routes-summary", in: page) == "24 routes with requests in the window, busiest first (the top 20, then the others summed); "
            + "rates over the 20 s of intervals in the window.")
        // GET /a's sparkline: a line through its two rates, both at the top, from the middle of the
        // width (the window's second snapshot) to the right edge.
        let spark = try #require(page.firstMatch(of: /<tr id="route-1">.*?<path class="spark-line" d="([^"]+)"/.dotMatchesNewlines()))
        #expect(spark.output.1 == "M60,2L120,2")
        #expect(page.contains("<title>GET /a requests per second: 10.0 req/s to 10.0 req/s</title>"))
    }

    @Test func aWindowWithoutRequestsSaysSo() throws {
        let page = try page([Fixture.snapshot(offset: 0, uptime: 10), Fixture.snapshot(offset: 10, uptime: 20, sequence: 2)])
        #expect(text("routes-summary", in: page) == "No requests in the window.")
        #expect(!page.contains("id=\"route-1\""))
    }
}
