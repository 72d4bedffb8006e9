import KVConfiguration
import Testing

/// `server.allowed_hosts` and `security.rate_limit.*`.
@Suite struct TrustConfigurationTests {
    @Test func allowedHostsAreAListLikeCORSOrigins() throws {
        #expect(KVStoreConfiguration().server.allowedHosts == [])
        let yaml = try load(yaml: "server:\n  allowed_hosts: [kv.example.com, '[::1]', 10.0.0.5]\n")
        #expect(yaml.server.allowedHosts == ["kv.example.com", "[::1]", "10.0.0.5"])
        #expect(yaml.value(forKey: "server.allowed_hosts") == "kv.example.com, [::1], 10.0.0.5")
        #expect(try load(environment: ["KVSTORE_SERVER_ALLOWED_HOSTS": "a.example, B.example."]).server.allowedHosts == ["a.example", "B.example."])
        #expect(try load(environment: ["KVSTORE_SERVER_ALLOWED_HOSTS": #"["*"]"#]).server.allowedHosts == ["*"])
        #expect(try load(overrides: ["server.allowed_hosts": "::1"]).server.allowedHosts == ["::1"])
        #expect(try load(overrides: ["server.allowed_hosts": ""]).server.allowedHosts == [])
        for bad in ["localhost:8080", "http://kv.example.com", "kv.example.com/x", "a,,b", "a.example, [kv.example.com]", "-a.example", "a b"] {
            let failure = try loadFailure(environment: ["KVSTORE_SERVER_ALLOWED_HOSTS": bad])
            #expect(failure?.hasPrefix("environment variable KVSTORE_SERVER_ALLOWED_HOSTS: invalid value \(bad.debugDescription) for server.allowed_hosts (expected a list of host names") == true, "\(bad): \(failure ?? "loaded")")
        }
    }

    @Test func rateLimitIsOffInDevelopmentAndOnInProduction() throws {
        #expect(try load().security.rateLimit == .init(requestsPerSecond: 0, burst: nil, maxClients: 10_000))
        let production = try load(environment: ["KVSTORE_ENVIRONMENT": "production"]).security.rateLimit
        #expect(production.requestsPerSecond == 1000)
        #expect(production.effectiveBurst == 2000)
        let set = try load(environment: [
            "KVSTORE_SECURITY_RATE_LIMIT_REQUESTS_PER_SECOND": "20",
            "KVSTORE_SECURITY_RATE_LIMIT_BURST": "5",
            "KVSTORE_SECURITY_RATE_LIMIT_MAX_CLIENTS": "1_000",
        ]).security.rateLimit
        #expect(set == .init(requestsPerSecond: 20, burst: 5, maxClients: 1000))
        #expect(try load(yaml: "security:\n  rate_limit:\n    requests_per_second: 7\n").security.rateLimit.effectiveBurst == 14)
        let reference = KVStoreConfiguration.reference.first { $0.key == "security.rate_limit.requests_per_second" }
        #expect(reference?.defaults == [.development: "0", .production: "1000"])
    }

    @Test(arguments: [
        ("security.rate_limit.requests_per_second", "-1"), ("security.rate_limit.requests_per_second", "1000001"),
        ("security.rate_limit.requests_per_second", "1.5"), ("security.rate_limit.burst", "0"),
        ("security.rate_limit.burst", "10000001"), ("security.rate_limit.max_clients", "0"),
        ("security.rate_limit.max_clients", "10000001"),
    ])
    func rateLimitValuesAreBounded(key: String, value: String) throws {
        let failure = try loadFailure(overrides: [key: value])
        #expect(failure?.contains("invalid value \(value.debugDescription) for \(key) (expected an integer from") == true, "\(failure ?? "loaded")")
    }
}
