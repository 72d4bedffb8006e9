import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KVConfiguration
import Testing
import KVTestSupport
@testable import KVServer

private let nosniffHeader = HTTPField.Name("X-Content-Type-Options")!

@Suite struct SecurityHeadersTests {
    @Test func everyAnswerCarriesNosniffAndNoReferrer() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) { $0.security.tokens = TestSecrets.tokens }
        let server = try buildServer(configuration: configuration, logger: testLogger())
        try await server.application.test(.router) { client in
            let requests: [(String, HTTPRequest.Method, HTTPFields)] = [
                ("/api/v1/ping", .get, [:]),
                ("/api/v1/kv/missing", .get, Presented.read.headers),  // 404 from a thrown error
                ("/api/v1/kv/k", .get, [:]),  // 401 from the access control
                ("/api/v1/kv/k?token=x", .get, [:]),  // 400
                ("/no/such/route", .get, [:]),  // the router's 404
                ("/api/v1/metrics", .get, [:]),
                ("/livez", .get, [:]),
            ]
            for (uri, method, headers) in requests {
                try await client.execute(uri: uri, method: method, headers: headers) { response in
                    #expect(response.headers[values: nosniffHeader] == ["nosniff"], "once: \(uri)")
                    #expect(response.headers[values: .referrerPolicy] == ["no-referrer"], "once: \(uri)")
                    #expect(response.headers[values: .xRequestID].count == 1, "\(uri)")
                    #expect(response.headers[values: HTTPField.Name("traceparent")!].count == 1, "\(uri)")
                    #expect(response.headers[.accessControlAllowOrigin] == nil, "CORS is off: \(uri)")
                    #expect(response.headers[.contentSecurityPolicy] == nil, "not a page: \(uri)")
                }
            }
        }
    }

    @Test func pagesAndSVGsGetTheStrictPolicy() {
        for type in ["text/html; charset=utf-8", "image/svg+xml", "application/xhtml+xml", "Text/HTML", "IMAGE/SVG+XML; x=1"] {
            var headers: HTTPFields = [.contentType: type]
            SecurityHeaders.addHeaders(to: &headers)
            let policy = headers[.contentSecurityPolicy] ?? ""
            #expect(policy == DashboardRoutes.contentSecurityPolicy)
            #expect(policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'") && !policy.contains("script-src"))
        }
        for type in ["application/json", "text/htm", "text/plain", ""] {
            var other: HTTPFields = [.contentType: type]
            SecurityHeaders.addHeaders(to: &other)
            #expect(other[.contentSecurityPolicy] == nil, "not a page: \(type)")
        }
        var own: HTTPFields = [.contentType: "text/html", .contentSecurityPolicy: "default-src 'none'"]
        SecurityHeaders.addHeaders(to: &own)
        #expect(own[.contentSecurityPolicy] == "default-src 'none'", "a route's own policy is kept")
    }

    @Test func corsAnswersPreflightsFromAllowedOriginsOnly() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) {
            $0.security.tokens = TestSecrets.tokens
            $0.security.corsOrigins = ["https://app.example.com", "http://127.0.0.1:3000"]
        }
        let server = try buildServer(configuration: configuration, logger: testLogger())
        try await server.application.test(.router) { client in
            let preflight: HTTPFields = [
                .origin: "https://app.example.com", .accessControlRequestMethod: "PUT",
                .accessControlRequestHeaders: "authorization, content-type",
            ]
            try await client.execute(uri: "/api/v1/kv/k", method: .options, headers: preflight) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == "https://app.example.com")
                #expect(response.headers[values: .vary].contains("Origin"))
                #expect(response.headers[.accessControlAllowMethods]?.contains("PUT") == true)
                #expect(response.headers[.accessControlAllowHeaders] == "Authorization, Content-Type")
                #expect(response.headers[.accessControlMaxAge] == "600")
                #expect(response.headers[.accessControlAllowCredentials] == nil)
                #expect(response.headers[nosniffHeader] == "nosniff")
            }
            var evil = preflight
            evil[.origin] = "https://evil.example.com"
            try await client.execute(uri: "/api/v1/kv/k", method: .options, headers: evil) { response in
                #expect(response.status != .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == nil)
                #expect(response.headers[.accessControlAllowMethods] == nil)
            }
            // The actual request: the allowed origin is named, even on an error answer.
            try await client.execute(uri: "/api/v1/kv/k", method: .get, headers: [.origin: "http://127.0.0.1:3000"]) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.accessControlAllowOrigin] == "http://127.0.0.1:3000")
                #expect(response.headers[values: .vary].contains("Origin"))
                #expect(response.headers[.accessControlExposeHeaders]?.contains("WWW-Authenticate") == true)
            }
            try await client.execute(uri: "/api/v1/kv/missing", method: .get, headers: Presented.read.headers + [.origin: "https://app.example.com"]) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.accessControlAllowOrigin] == "https://app.example.com")
            }
            try await client.execute(uri: "/api/v1/ping", method: .get, headers: [.origin: "https://evil.example.com"]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == nil)
                #expect(response.headers[values: .vary].contains("Origin"))
            }
        }
    }

    @Test func corsIsOffWithoutOrigins() async throws {
        let folder = TemporaryFolder()
        let server = try buildServer(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await server.application.test(.router) { client in
            let preflight: HTTPFields = [.origin: "https://app.example.com", .accessControlRequestMethod: "GET"]
            try await client.execute(uri: "/api/v1/kv/k", method: .options, headers: preflight) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil)
                #expect(response.headers[.vary] == nil)
            }
        }
    }
}
