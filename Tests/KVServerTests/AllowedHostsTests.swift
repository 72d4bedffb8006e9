import Foundation
import HTTPTypes
import Hummingbird
import KVConfiguration
import Testing
import KVTestSupport
@testable import KVServer

/// `server.allowed_hosts`: DNS rebinding is refused with `421 host_not_allowed` on both listeners.
@Suite struct AllowedHostsTests {
    static let paths = ["/api/v1/ping", "/health", "/livez", "/readyz", "/metrics", "/api/v1/kv/k", "/no/such/route"]

    /// The routers of both listeners, built by the composition root.
    static func listeners(_ configuration: KVStoreConfiguration) throws -> [(name: String, client: DirectClient)] {
        let parts = try buildServer(configuration: configuration, logger: testLogger())
        return [("api", DirectClient(try buildRouter(parts.routes))), ("metrics", DirectClient(try buildMetricsRouter(parts.routes)))]
    }

    @Test func defaultRefusesAForeignOrMissingHostOnBothListenersBeforeRouting() async throws {
        let folder = TemporaryFolder()
        for (listener, client) in try Self.listeners(testConfiguration(folder: folder)) {
            for path in Self.paths {
                for host in ["evil.example", "evil.example:8080", "127.0.0.1.evil.example", "localhost.evil.example", nil] as [String?] {
                    let response = try await client.execute(.get, path, host: host)
                    #expect(response.status == 421, "\(listener) \(path) Host \(host ?? "missing")")
                    #expect(response.errorCode == "host_not_allowed", "\(listener) \(path)")
                    #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                    #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                }
            }
            // Writes too: nothing is stored.
            let put = try await client.execute(.put, "/api/v1/kv/k", host: "evil.example", body: "v")
            #expect(put.status == 421)
        }
    }

    @Test(arguments: ["localhost", "localhost:8080", "LocalHost:1", "localhost.", "127.0.0.1", "127.0.0.1:8080", "127.9.8.7:80",
                      "[::1]", "[::1]:8080"])
    func defaultAllowsLoopbackNamesWithAnyPort(host: String) async throws {
        let folder = TemporaryFolder()
        for (listener, client) in try Self.listeners(testConfiguration(folder: folder)) {
            let response = try await client.execute(.get, "/api/v1/ping", host: host)
            #expect(response.status == 200, "\(listener) Host \(host)")
        }
    }

    @Test func malformedHostsAreRefused() async throws {
        let folder = TemporaryFolder()
        let client = try Self.listeners(testConfiguration(folder: folder))[0].client
        for host in ["", "::1", "[::1", "localhost:80:80", "localhost:http", "user@localhost", "127.0.0.1:123456"] {
            #expect(try await client.execute(.get, "/api/v1/ping", host: host).status == 421, "Host \(host)")
        }
    }

    @Test func anExplicitListReplacesTheDefault() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) { $0.server.allowedHosts = ["kv.example.com", "[::1]"] }
        for (listener, client) in try Self.listeners(configuration) {
            for host in ["kv.example.com", "KV.Example.COM:443", "[::1]:9"] {
                #expect(try await client.execute(.get, "/api/v1/ping", host: host).status == 200, "\(listener) \(host)")
            }
            for host in ["localhost", "127.0.0.1", "example.com"] {
                #expect(try await client.execute(.get, "/health", host: host).status == 421, "\(listener) \(host)")
            }
        }
    }

    @Test func withTokensAnyHostIsAllowedUnlessListed() async throws {
        let folder = TemporaryFolder()
        let other = TemporaryFolder()
        let open = try Self.listeners(testConfiguration(folder: folder) { $0.security.tokens = TestSecrets.tokens })
        for (listener, client) in open {
            #expect(try await client.execute(.get, "/api/v1/ping", host: "kv.internal.example").status == 200, "\(listener)")
            #expect(try await client.execute(.get, "/api/v1/ping", host: nil).status == 200, "\(listener)")
        }
        let listed = try Self.listeners(testConfiguration(folder: other) {
            $0.security.tokens = TestSecrets.tokens
            $0.server.allowedHosts = ["kv.internal.example"]
        })
        for (listener, client) in listed {
            #expect(try await client.execute(.get, "/api/v1/ping", host: "kv.internal.example:8443").status == 200, "\(listener)")
            #expect(try await client.execute(.get, "/api/v1/ping", host: "evil.example").status == 421, "\(listener)")
        }
    }

    @Test func aStarInTheListAllowsAnyHost() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) { $0.server.allowedHosts = ["kv.example.com", "*"] }
        for (listener, client) in try Self.listeners(configuration) {
            #expect(try await client.execute(.get, "/api/v1/ping", host: "anything.example").status == 200, "\(listener)")
            #expect(try await client.execute(.get, "/api/v1/ping", host: nil).status == 200, "\(listener)")
        }
    }

    @Test func aLiveRequestWithAForeignHostHeaderIsRefused() async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let refused = await rawExchange(port: port, Array("GET /api/v1/ping HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n".utf8))
            #expect(refused.hasPrefix("HTTP/1.1 421 "))
            #expect(refused.contains("\"code\":\"host_not_allowed\""))
            let served = await rawExchange(port: port, Array("GET /api/v1/ping HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8))
            #expect(served.hasPrefix("HTTP/1.1 200 "))
        }
    }
}
