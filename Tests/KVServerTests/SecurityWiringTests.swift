import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KVConfiguration
import Testing
import KVTestSupport
@testable import KVServer

/// The real composition root (`buildServer`) with the security layer wired in: a few answers
/// that only come out right when `Application+build.swift` adds the layer's middleware and
/// server builder. Enabled once the wiring patch is applied.
@Suite
struct SecurityWiringTests {
    @Test func buildServerRefusesANonLoopbackHostWithoutTokens() throws {
        var configuration = KVStoreConfiguration()
        configuration.server.host = "0.0.0.0"
        let error = #expect(throws: SecurityStartupError.self) { try buildServer(configuration: configuration, logger: testLogger()) }
        #expect(error?.code == .unprotectedBind)
    }

    @Test func composedServerAppliesTokensHeadersAndHealthDetails() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) {
            $0.security.tokens = TestSecrets.tokens
            $0.security.protectMetrics = true
        }
        let parts = try buildServer(configuration: configuration, logger: testLogger())
        await parts.monitor.runAllOnce()
        try await parts.application.test(.live) { client in
            try await client.execute(uri: "/api/v1/kv/k", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"kvstore\"")
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            }
            try await client.execute(uri: "/api/v1/kv/k", method: .put, headers: Presented.write.headers, body: ByteBuffer(string: "v")) {
                #expect($0.status == .created)
            }
            try await client.execute(uri: "/api/v1/metrics", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/metrics", method: .get, headers: Presented.read.headers) { response in
                #expect(response.status == .ok)
                // The 401s are counted under their route, like any other answer.
                #expect(response.body.string.contains("route=\"/api/v1/kv/{key}\",code=\"401\""))
            }
            try await client.execute(uri: "/api/v1/health", method: .get) { #expect($0.body.string == "{\"status\":\"healthy\"}\n") }
            try await client.execute(uri: "/api/v1/kv/k?access_token=x", method: .get) { #expect($0.status == .badRequest) }
        }
    }
}
