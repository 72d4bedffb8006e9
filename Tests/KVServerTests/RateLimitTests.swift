import Foundation
import HTTPTypes
import Hummingbird
import KVConfiguration
import Testing
import KVTestSupport
@testable import KVServer

/// `security.rate_limit`: a token bucket per client, driven by a manual clock.
@Suite struct RateLimitTests {
    static func limited(folder: TemporaryFolder, rps: Int = 1, burst: Int? = 2, _ adjust: (inout KVStoreConfiguration) -> Void = { _ in })
        -> KVStoreConfiguration
    {
        testConfiguration(folder: folder) {
            $0.security.rateLimit = .init(requestsPerSecond: rps, burst: burst)
            adjust(&$0)
        }
    }

    @Test func aClientOverItsBurstGets429WithRetryAfterUntilItsBucketRefills() async throws {
        let folder = TemporaryFolder()
        let clock = ManualClock()
        let parts = try buildServer(configuration: Self.limited(folder: folder), logger: testLogger(), clock: clock)
        let client = DirectClient(try buildRouter(parts.routes))
        for _ in 0..<2 { #expect(try await client.execute(.get, "/api/v1/ping").status == 200) }
        let limited = try await client.execute(.get, "/api/v1/ping")
        #expect(limited.status == 429)
        #expect(limited.errorCode == "rate_limited")
        #expect(limited.headers[.retryAfter] == "1")
        #expect(limited.headers[.contentType] == "application/json; charset=utf-8")
        // Writes are limited like reads, and nothing is stored.
        #expect(try await client.execute(.put, "/api/v1/kv/k", body: "v").status == 429)
        clock.advance(by: .milliseconds(999))
        #expect(try await client.execute(.get, "/api/v1/ping").status == 429)
        clock.advance(by: .milliseconds(1))
        #expect(try await client.execute(.get, "/api/v1/ping").status == 200)
        #expect(try await client.execute(.get, "/api/v1/ping").status == 429)
        clock.advance(by: .seconds(60))
        #expect(try await client.execute(.get, "/api/v1/kv/k").status == 404)
    }

    @Test func retryAfterIsTheWholeSecondsUntilTheNextRequest() async throws {
        let folder = TemporaryFolder()
        let clock = ManualClock()
        // One request every 4 seconds (0.25 per second is not allowed, so: 1 rps with a bucket of 1, drained).
        let limiter = RateLimiter(requestsPerSecond: 1, burst: 1, maxClients: 10, clock: clock)
        #expect(limiter.admit("a") == nil)
        #expect(limiter.admit("a") == 1)
        clock.advance(by: .milliseconds(300))
        #expect(limiter.admit("a") == 1)  // 0.7 s rounds up to 1
        let slow = try buildServer(configuration: Self.limited(folder: folder, rps: 1, burst: 1), logger: testLogger(), clock: clock)
        let client = DirectClient(try buildRouter(slow.routes))
        #expect(try await client.execute(.get, "/api/v1/ping").status == 200)
        #expect(try await client.execute(.get, "/api/v1/ping").headers[.retryAfter] == "1")
    }

    @Test func probesAreNeverLimited() async throws {
        let folder = TemporaryFolder()
        let clock = ManualClock()
        let parts = try buildServer(configuration: Self.limited(folder: folder, burst: 1), logger: testLogger(), clock: clock)
        await parts.monitor.runAllOnce()
        for router in [try buildRouter(parts.routes), try buildMetricsRouter(parts.routes)] {
            let client = DirectClient(router)
            _ = try await client.execute(.get, "/api/v1/ping")
            #expect(try await client.execute(.get, "/api/v1/ping").status == 429)
            for _ in 0..<20 {
                for path in ["/health", "/livez", "/readyz", "/livez?verbose"] {
                    #expect(try await client.execute(.get, path).status != 429, "\(path)")
                    #expect(try await client.execute(.head, path).status != 429, "HEAD \(path)")
                }
            }
            #expect(try await client.execute(.get, "/health").status == 200)
            // Probes did not refill or drain anything.
            #expect(try await client.execute(.get, "/api/v1/ping").status == 429)
        }
    }

    @Test func eachTokenHasItsOwnBucketAndAnonymousCallersShareTheAddressBucket() async throws {
        let folder = TemporaryFolder()
        let clock = ManualClock()
        let configuration = Self.limited(folder: folder, burst: 1) { $0.security.tokens = TestSecrets.tokens }
        let parts = try buildServer(configuration: configuration, logger: testLogger(), clock: clock)
        let client = DirectClient(try buildRouter(parts.routes))
        #expect(try await client.execute(.get, "/api/v1/kv", headers: Presented.read.headers).status == 200)
        #expect(try await client.execute(.get, "/api/v1/kv", headers: Presented.read.headers).status == 429)
        #expect(try await client.execute(.get, "/api/v1/kv", headers: Presented.write.headers).status == 200)
        #expect(try await client.execute(.get, "/api/v1/ping").status == 200)
        #expect(try await client.execute(.get, "/api/v1/ping").status == 429)
        // A wrong token is no identity: it shares the address's bucket, and the limit comes before the 401.
        #expect(try await client.execute(.get, "/api/v1/kv", headers: Presented.wrong.headers).status == 429)
        // A token in the query string is refused only after the rate limit.
        #expect(try await client.execute(.get, "/api/v1/kv?access_token=\(TestSecrets.read)").status == 429)
    }

    @Test func theHostIsCheckedBeforeTheRateLimit() async throws {
        let folder = TemporaryFolder()
        let clock = ManualClock()
        let parts = try buildServer(configuration: Self.limited(folder: folder, burst: 1), logger: testLogger(), clock: clock)
        let client = DirectClient(try buildRouter(parts.routes))
        for _ in 0..<3 {
            #expect(try await client.execute(.get, "/api/v1/ping", host: "evil.example").status == 421)
        }
        // The refused requests took nothing from the bucket.
        #expect(try await client.execute(.get, "/api/v1/ping").status == 200)
        #expect(try await client.execute(.get, "/api/v1/ping").status == 429)
    }

    @Test func refusalsAreCountedPerListener() async throws {
        let folder = TemporaryFolder()
        let clock = ManualClock()
        let parts = try buildServer(configuration: Self.limited(folder: folder, burst: 1), logger: testLogger(), clock: clock)
        let api = DirectClient(try buildRouter(parts.routes))
        let metrics = DirectClient(try buildMetricsRouter(parts.routes))
        for _ in 0..<3 { _ = try await api.execute(.get, "/api/v1/ping") }
        clock.advance(by: .seconds(10))
        for _ in 0..<2 { _ = try await metrics.execute(.get, "/metrics") }
        clock.advance(by: .seconds(10))
        let scrape = try await metrics.execute(.get, "/metrics")
        #expect(scrape.status == 200)
        #expect(scrape.body.contains("kvstore_http_rate_limited_total{listener=\"api\"} 2\n"), "\(scrape.body)")
        #expect(scrape.body.contains("kvstore_http_rate_limited_total{listener=\"metrics\"} 1\n"), "\(scrape.body)")
    }

    @Test func offByDefaultInDevelopmentAndOnInProduction() async throws {
        #expect(KVStoreConfiguration().security.rateLimit.isEnabled == false)
        let production = KVStoreConfiguration(environment: .production).security.rateLimit
        #expect(production.requestsPerSecond == 1000)
        #expect(production.effectiveBurst == 2000)
        #expect(production.maxClients == 10_000)
        let folder = TemporaryFolder()
        let parts = try buildServer(configuration: testConfiguration(folder: folder), logger: testLogger(), clock: ManualClock())
        let client = DirectClient(try buildRouter(parts.routes))
        var statuses: Set<Int> = []
        for _ in 0..<50 { statuses.insert(try await client.execute(.get, "/api/v1/ping").status) }
        #expect(statuses == [200])
    }

    @Test func theClientTableNeverGrowsBeyondItsCapacity() {
        let clock = ManualClock()
        let limiter = RateLimiter(requestsPerSecond: 1, burst: 1, maxClients: 4, clock: clock)
        for client in 0..<1000 {
            _ = limiter.admit("client-\(client)")
            #expect(limiter.trackedClients <= 4)
        }
        #expect(limiter.trackedClients == 4)
    }

    @Test func aFullTableReusesARefilledBucketBeforeADrainedOne() {
        let clock = ManualClock()
        let limiter = RateLimiter(requestsPerSecond: 1, burst: 2, maxClients: 2, clock: clock)
        #expect(limiter.admit("idle") == nil)  // 1 token left
        clock.advance(by: .seconds(5))  // idle's bucket is full again: it carries no state
        #expect(limiter.admit("busy") == nil)
        #expect(limiter.admit("busy") == nil)
        #expect(limiter.admit("busy") == 1)
        #expect(limiter.admit("newcomer") == nil)  // takes idle's slot, not busy's
        #expect(limiter.admit("busy") == 1)  // still limited
        #expect(limiter.trackedClients == 2)
    }
}
