import Foundation
import KVSnapshot
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KVCompression
import Testing
import KVMonitoring
import KVTestSupport
@testable import KVServer

/// Sample lines of a text exposition, keyed by `name{labels}` exactly as written.
func parseExposition(_ text: String) -> [String: Double] {
    var samples: [String: Double] = [:]
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
        guard let space = line.lastIndex(of: " ") else { continue }
        samples[String(line[..<space])] = Double(line[line.index(after: space)...])
    }
    return samples
}

@Suite struct MetricsRoutesTests {
    @Test func requestsThroughTheLiveServerAreCountedExactly() async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.live) { client in
            try await client.execute(uri: "/api/v1/kv/a", method: .put, body: ByteBuffer(string: "12345"))
            try await client.execute(uri: "/api/v1/kv/a", method: .get)
            try await client.execute(uri: "/api/v1/kv/a", method: .get)
            try await client.execute(uri: "/api/v1/kv/missing", method: .get)
            for index in 0..<50 { try await client.execute(uri: "/random/\(index)/\(UUID())", method: .get) }
            try await client.execute(uri: "/api/v1/kv/a", method: .init("PROPFIND")!)
            let text = try await client.execute(uri: "/api/v1/metrics", method: .get) { response in
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                return response.body.string
            }
            let samples = parseExposition(text)
            let kv = "route=\"/api/v1/kv/{key}\""
            #expect(samples["kvstore_http_requests_total{method=\"PUT\",\(kv),code=\"201\"}"] == 1)
            #expect(samples["kvstore_http_requests_total{method=\"GET\",\(kv),code=\"200\"}"] == 2)
            #expect(samples["kvstore_http_requests_total{method=\"GET\",\(kv),code=\"404\"}"] == 1)
            #expect(samples["kvstore_http_requests_total{method=\"GET\",route=\"unmatched\",code=\"404\"}"] == 50)
            #expect(samples["kvstore_http_requests_total{method=\"_OTHER\",route=\"unmatched\",code=\"404\"}"] == 1)
            #expect(samples["kvstore_request_duration_seconds_count{method=\"GET\",\(kv)}"] == 3)
            #expect(samples["kvstore_request_duration_seconds_bucket{method=\"GET\",\(kv),le=\"+Inf\"}"] == 3)
            #expect(samples["kvstore_http_request_size_bytes_sum{method=\"PUT\",\(kv)}"] == 5)
            #expect(samples["kvstore_http_response_size_bytes_bucket{method=\"GET\",\(kv),le=\"64\"}"] == 2)
            #expect(samples["kvstore_http_response_size_bytes_bucket{method=\"GET\",\(kv),le=\"256\"}"] == 3)
            #expect(samples["kvstore_storage_operations_total{op=\"get\"}"] == 3)
            #expect(samples["kvstore_storage_operations_total{op=\"put\"}"] == 1)
            #expect((samples["kvstore_storage_operations_total{op=\"commit\"}"] ?? 0) >= 1)
            #expect(samples["kvstore_storage_errors_total{op=\"put\"}"] == 0)
            #expect(samples["kvstore_storage_keys"] == 1)
            #expect(samples["kvstore_storage_quota_bytes"] == Double(8 << 30))
            #expect(samples["kvstore_http_requests_in_flight"] == 1)   // the scrape itself
            #expect((samples["process_resident_memory_bytes"] ?? 0) > 0)
            #expect((samples["kvstore_threads"] ?? 0) >= 1)
            #expect(samples["kvstore_build_info{version=\"\(KVStoreVersion.version)\",revision=\"unknown\",swift_version=\"\(BuildInfo.compilerVersion)\"}"] == 1)
            #expect((samples["kvstore_http_connections_open{listener=\"api\"}"] ?? 0) >= 1)
            #expect(samples["kvstore_http_connections_refused_total{listener=\"api\"}"] == 0)
            // Raw paths never become label values.
            #expect(!text.contains("/random/"))
        }
    }

    @Test func openMetricsWhenAskedAndGzipWhenAccepted() async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get, headers: [.accept: "application/openmetrics-text; version=1.0.0"]) { response in
                #expect(response.headers[.contentType] == "application/openmetrics-text; version=1.0.0; charset=utf-8")
                #expect(response.body.string.hasSuffix("# EOF\n"))
                #expect(response.body.string.contains("# TYPE kvstore_http_requests counter"))
            }
            _ = try await client.execute(uri: "/api/v1/metrics", method: .get) { $0.body.string }
            let compressed = try await client.execute(uri: "/api/v1/metrics", method: .get, headers: [.acceptEncoding: "gzip, deflate"]) { response in
                #expect(response.headers[.contentEncoding] == "gzip")
                #expect(Array(response.body.readableBytesView.prefix(2)) == [0x1F, 0x8B])
                return Data(response.body.readableBytesView)
            }
            let plain = try await client.execute(uri: "/api/v1/metrics", method: .get) { $0.body.string }
            let unzipped = try #require(String(bytes: Gzip.decompress(compressed, maxOutputBytes: 16 << 20), encoding: .utf8))
            // Sample values move between scrapes; the families do not.
            func families(_ text: String) -> Set<Substring> { Set(text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }) }
            #expect(families(unzipped).contains("# TYPE kvstore_http_requests_total counter"))
            #expect(families(unzipped) == families(plain))
            try await client.execute(uri: "/api/v1/metrics", method: .get, headers: [.acceptEncoding: "gzip;q=0"]) { response in
                #expect(response.headers[.contentEncoding] == nil)
            }
        }
    }

    @Test func disabledMetricsAnswerJSON404() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) { $0.metrics.enabled = false }
        let app = try await buildApplication(configuration: configuration, logger: testLogger())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/metrics", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(errorCode(response.body) == "metrics_disabled")
            }
        }
    }

    @Test(arguments: [("gzip", true), ("GZIP;q=0.5", true), ("gzip;q=0", false), ("gzip;q=0.0", false), ("br", false), ("deflate, x-gzip", true)])
    func gzipNegotiation(header: String, accepted: Bool) {
        #expect(MetricsRoutes.acceptsGzip(header) == accepted)
    }
}
