import Foundation
import KVSnapshot
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KVConfiguration
import Testing
import KVTestSupport
@testable import KVServer

/// The ways a request can present (or not) a credential.
enum Presented: String, CaseIterable, Sendable {
    case none, wrong, read, write, admin, query, basic

    /// The Authorization header, if any.
    var headers: HTTPFields {
        switch self {
        case .none, .query: [:]
        case .wrong: [.authorization: "Bearer \(TestSecrets.wrong)"]
        case .read: [.authorization: "Bearer \(TestSecrets.read)"]
        case .write: [.authorization: "Bearer \(TestSecrets.write)"]
        case .admin: [.authorization: "Bearer \(TestSecrets.admin)"]
        case .basic: [.authorization: "Basic \(TestSecrets.basicValue)"]
        }
    }

    /// `uri`, with the admin secret added as `access_token` for `.query`.
    func uri(_ uri: String) -> String {
        guard self == .query else { return uri }
        return uri + (uri.contains("?") ? "&" : "?") + "access_token=" + TestSecrets.admin
    }
}

/// One row of the matrix: a route and the status each presented credential gets.
struct MatrixRow: Sendable, CustomStringConvertible {
    let method: HTTPRequest.Method
    let uri: String
    /// In the order of `Presented.allCases`: none, wrong, read, write, admin, query, basic.
    let expected: [Int]
    var body: String? = nil

    var description: String { "\(method) \(uri)" }
}

@Suite struct SecurityAccessTests {
    static let missingSnapshot = "kvstore-node-000000000042-20261129T010203.456Z.json"

    /// With tokens, `protect_metrics` and `protect_dashboard` on, and the default health details (authorized).
    static let protectedMatrix: [MatrixRow] = [
        //                                                     none wrong read write admin query basic
        MatrixRow(method: .get, uri: "/api/v1/kv/k", expected: [401, 401, 200, 200, 200, 400, 401]),
        MatrixRow(method: .head, uri: "/api/v1/kv/k", expected: [401, 401, 200, 200, 200, 400, 401]),
        MatrixRow(method: .get, uri: "/api/v1/kv?prefix=k", expected: [401, 401, 200, 200, 200, 400, 401]),
        MatrixRow(method: .put, uri: "/api/v1/kv/put-{who}", expected: [401, 401, 403, 201, 201, 400, 401], body: "v"),
        MatrixRow(method: .delete, uri: "/api/v1/kv/del-{who}", expected: [401, 401, 403, 204, 204, 400, 401]),
        MatrixRow(method: .get, uri: "/api/v1/stats", expected: [401, 401, 403, 403, 200, 400, 401]),
        MatrixRow(method: .get, uri: "/api/v1/snapshots", expected: [401, 401, 403, 403, 200, 400, 401]),
        MatrixRow(method: .get, uri: "/api/v1/snapshots/\(missingSnapshot)", expected: [401, 401, 403, 403, 404, 400, 401]),
        MatrixRow(method: .post, uri: "/api/v1/snapshots", expected: [401, 401, 403, 403, 201, 400, 401]),
        MatrixRow(method: .get, uri: "/api/v1/health", expected: [200, 401, 200, 200, 200, 400, 401]),
        MatrixRow(method: .get, uri: "/health", expected: [200, 200, 200, 200, 200, 400, 200]),
        MatrixRow(method: .get, uri: "/livez?verbose", expected: [200, 200, 200, 200, 200, 400, 200]),
        MatrixRow(method: .get, uri: "/readyz?verbose", expected: [200, 200, 200, 200, 200, 400, 200]),
        MatrixRow(method: .get, uri: "/api/v1/ping", expected: [200, 200, 200, 200, 200, 400, 200]),
        MatrixRow(method: .get, uri: "/api/v1/metrics", expected: [401, 401, 200, 200, 200, 400, 401]),
        MatrixRow(method: .get, uri: "/metrics", expected: [401, 401, 200, 200, 200, 400, 401]),
        MatrixRow(method: .get, uri: "/dashboard/", expected: [401, 401, 404, 404, 404, 400, 401]),
        MatrixRow(method: .get, uri: "/dashboard/index.html", expected: [401, 401, 404, 404, 404, 400, 401]),
        MatrixRow(method: .get, uri: "/no/such/route", expected: [404, 404, 404, 404, 404, 400, 404]),
    ]

    static func protectedConfiguration(folder: TemporaryFolder) -> KVStoreConfiguration {
        testConfiguration(folder: folder) {
            $0.security.tokens = TestSecrets.tokens
            $0.security.protectMetrics = true
            $0.security.protectDashboard = true
            $0.node.id = "node"
            // No live dashboard: an authorized request gets the router's 404, not a 503 or 200 that depends on
            // whether the first snapshot has been written yet. The protection of `/dashboard` is the same.
            $0.dashboard.enabled = false
        }
    }

    @Test func everyRouteAnswersEachCredentialAsThePolicySays() async throws {
        let folder = TemporaryFolder()
        let captured = CapturedLines()
        // The real request log, on for every request: no line it writes may hold a secret.
        let server = try buildServer(
            configuration: loggingEveryRequest(Self.protectedConfiguration(folder: folder)),
            logger: testLogger(level: .trace, capture: captured))
        await server.monitor.runAllOnce()
        let failures = try await server.application.test(.router) { client -> [String] in
            var failures: [String] = []
            let admin = Presented.admin.headers
            try await client.execute(uri: "/api/v1/kv/k", method: .put, headers: admin, body: ByteBuffer(string: "value"))
            for who in Presented.allCases {
                try await client.execute(uri: "/api/v1/kv/del-\(who)", method: .put, headers: admin, body: ByteBuffer(string: "x"))
            }
            for row in Self.protectedMatrix {
                for (who, expected) in zip(Presented.allCases, row.expected) {
                    let uri = who.uri(row.uri.replacingOccurrences(of: "{who}", with: who.rawValue))
                    let response = try await client.execute(
                        uri: uri, method: row.method, headers: who.headers, body: row.body.map { ByteBuffer(string: $0) })
                    let body = response.body.string
                    if response.status.code != expected {
                        failures.append("\(row.method) \(uri) as \(who): \(response.status.code), expected \(expected): \(body)")
                    }
                    for secret in TestSecrets.all where body.contains(secret) {
                        failures.append("\(row.method) \(uri) as \(who): the answer contains a secret")
                        _ = secret
                    }
                    if row.method == .head {
                        #expect(response.body.readableBytes == 0)
                        continue
                    }
                    switch response.status.code {
                    case 401:
                        #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer realm=\"kvstore\"") == true, "\(row) as \(who)")
                        #expect(errorCode(response.body) == "unauthorized" || errorCode(response.body) == "invalid_token", "\(row) as \(who)")
                    case 403:
                        #expect(errorCode(response.body) == "forbidden", "\(row) as \(who)")
                    case 400 where who == .query:
                        #expect(errorCode(response.body) == "token_in_query", "\(row) as \(who)")
                    default:
                        break
                    }
                }
            }
            return failures
        }
        #expect(failures == [])
        let lines = captured.all
        let requestLines = lines.filter { $0.contains("slow request") }
        #expect(requestLines.count >= Self.protectedMatrix.count * Presented.allCases.count, "the request log ran for every request")
        #expect(requestLines.contains { $0.contains("/api/v1/kv/k") && $0.contains("401") })
        for secret in TestSecrets.all {
            #expect(!lines.contains { $0.contains(secret) }, "a log line holds a secret")
        }
    }

    @Test func healthDetailsAreForAdminsOnlyByDefault() async throws {
        let folder = TemporaryFolder()
        let server = try buildServer(configuration: Self.protectedConfiguration(folder: folder), logger: testLogger())
        await server.monitor.runAllOnce()
        try await server.application.test(.router) { client in
            for who in [Presented.none, .read, .write] {
                try await client.execute(uri: "/api/v1/health", method: .get, headers: who.headers) { response in
                    #expect(response.body.string == "{\"status\":\"healthy\"}\n", "\(who)")
                    #expect(response.headers[.cacheControl]?.hasPrefix("max-age=") == true)
                }
                try await client.execute(uri: "/api/v1/health", method: .get, headers: who.headers + [.accept: "application/health+json"]) { response in
                    #expect(response.body.string == "{\"status\":\"pass\"}\n", "\(who)")
                    #expect(response.headers[.contentType] == "application/health+json")
                }
                try await client.execute(uri: "/health", method: .get, headers: who.headers) { response in
                    #expect(response.body.string == "{\"status\":\"healthy\"}\n", "\(who)")
                }
                try await client.execute(uri: "/livez?verbose", method: .get, headers: who.headers) { response in
                    #expect(response.body.string == "ok", "\(who)")
                }
                try await client.execute(uri: "/readyz?%76erbose=1&exclude=disk", method: .get, headers: who.headers) { response in
                    #expect(response.body.string == "ok", "\(who): an encoded verbose is stripped too")
                }
            }
            try await client.execute(uri: "/api/v1/health", method: .get, headers: Presented.admin.headers) { response in
                let body = try json(response.body)
                #expect((body["checks"] as? [String: Any])?["storage"] != nil)
            }
            try await client.execute(uri: "/health", method: .get, headers: Presented.admin.headers) { response in
                let body = try json(response.body)
                #expect(body["version"] as? String == KVStoreVersion.version)
            }
            try await client.execute(uri: "/livez?verbose", method: .get, headers: Presented.admin.headers) { response in
                #expect(response.body.string.contains("[+]storage_read ok"))
            }
        }
    }

    @Test func unhealthyStatusOnlyAnswerKeeps503() async throws {
        let folder = TemporaryFolder()
        // The server's health service runs its checks as it starts, so "no result yet" is not something to wait
        // for: a critical dependency that refuses connections keeps the server unhealthy, before and after a run.
        var configuration = Self.protectedConfiguration(folder: folder)
        configuration.health.failureThreshold = 1
        configuration.health.dependencies = [.init(name: "refusing", url: "http://127.0.0.1:1/", critical: true)]
        let server = try buildServer(configuration: configuration, logger: testLogger())
        await server.monitor.runAllOnce()
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/api/v1/health", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.body.string == "{\"status\":\"unhealthy\"}\n")
            }
        }
    }

    @Test func healthDetailsNeverHidesThemFromAdminsToo() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) {
            $0.security.tokens = TestSecrets.tokens
            $0.security.healthDetails = .never
        }
        let server = try buildServer(configuration: configuration, logger: testLogger())
        await server.monitor.runAllOnce()
        try await server.application.test(.router) { client in
            let admin = Presented.admin.headers
            try await client.execute(uri: "/api/v1/health", method: .get, headers: admin) { response in
                #expect(response.body.string == "{\"status\":\"healthy\"}\n")
            }
            for uri in ["/api/v1/stats", "/api/v1/snapshots", "/api/v1/snapshots/\(Self.missingSnapshot)"] {
                try await client.execute(uri: uri, method: .get, headers: admin) { response in
                    #expect(response.status == .forbidden, "\(uri)")
                    #expect(errorCode(response.body) == "details_disabled")
                }
            }
            try await client.execute(uri: "/api/v1/snapshots", method: .post, headers: admin) { #expect($0.status == .created) }
            try await client.execute(uri: "/api/v1/metrics", method: .get) { #expect($0.status == .ok, "metrics unprotected") }
        }
    }

    @Test func healthDetailsAlwaysOpensStatsAndSnapshotsButNotWrites() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) {
            $0.security.tokens = TestSecrets.tokens
            $0.security.healthDetails = .always
        }
        let server = try buildServer(configuration: configuration, logger: testLogger())
        await server.monitor.runAllOnce()
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/api/v1/stats", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/snapshots", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/health", method: .get) { response in
                let body = try json(response.body)
                #expect(body["checks"] != nil)
            }
            try await client.execute(uri: "/api/v1/snapshots", method: .post) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/kv/k", method: .get) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func withoutTokensALoopbackServerIsOpenWithDetails() async throws {
        let folder = TemporaryFolder()
        let server = try buildServer(configuration: testConfiguration(folder: folder), logger: testLogger())
        await server.monitor.runAllOnce()
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/k", method: .put, body: ByteBuffer(string: "v")) { #expect($0.status == .created) }
            try await client.execute(uri: "/api/v1/kv/k", method: .get, headers: Presented.basic.headers) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/stats", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/snapshots", method: .post) { #expect($0.status == .created) }
            try await client.execute(uri: "/api/v1/health", method: .get, headers: Presented.wrong.headers) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect(body["checks"] != nil)
            }
            try await client.execute(uri: "/livez?verbose", method: .get) { #expect($0.body.string.contains("[+]storage_read ok")) }
            // A token in the query string is refused even here.
            try await client.execute(uri: "/api/v1/kv/k?token=abc", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(errorCode(response.body) == "token_in_query")
            }
        }
    }

    @Test(arguments: ["access_token", "token", "api_key", "API_KEY", "access%5Ftoken"])
    func credentialsInTheQueryAreRefused(name: String) async throws {
        let folder = TemporaryFolder()
        let server = try buildServer(configuration: Self.protectedConfiguration(folder: folder), logger: testLogger())
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/k?\(name)=\(TestSecrets.read)", method: .get, headers: Presented.read.headers) { response in
                #expect(response.status == .badRequest)
                #expect(errorCode(response.body) == "token_in_query")
                #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"kvstore\", error=\"invalid_request\"")
                #expect(!response.body.string.contains(TestSecrets.read))
            }
        }
    }

    @Test(arguments: [
        "bearer \(TestSecrets.read)", "BEARER  \(TestSecrets.read) ",
    ])
    func bearerSchemeIsCaseInsensitive(header: String) async throws {
        let folder = TemporaryFolder()
        let server = try buildServer(configuration: Self.protectedConfiguration(folder: folder), logger: testLogger())
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/api/v1/kv?prefix=a", method: .get, headers: [.authorization: header]) { #expect($0.status == .ok) }
        }
    }

    @Test(arguments: [
        "Bearer", "Bearer ", "Token \(TestSecrets.read)", "Bearer \(TestSecrets.read) extra", "Bearer \(TestSecrets.read)x",
        "Bearer \(TestSecrets.read.dropLast())",
    ])
    func malformedOrWrongCredentialsAreUnauthorized(header: String) async throws {
        let folder = TemporaryFolder()
        let server = try buildServer(configuration: Self.protectedConfiguration(folder: folder), logger: testLogger())
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/api/v1/kv?prefix=a", method: .get, headers: [.authorization: header]) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer realm=\"kvstore\"") == true)
            }
        }
    }

    @Test func twoAuthorizationHeadersAreUnauthorized() async throws {
        let folder = TemporaryFolder()
        let server = try buildServer(configuration: Self.protectedConfiguration(folder: folder), logger: testLogger())
        try await server.application.test(.router) { client in
            var headers = Presented.admin.headers
            headers.append(HTTPField(name: .authorization, value: "Bearer \(TestSecrets.read)"))
            try await client.execute(uri: "/api/v1/kv?prefix=a", method: .get, headers: headers) { #expect($0.status == .unauthorized) }
        }
    }
}

extension HTTPFields {
    static func + (lhs: HTTPFields, rhs: HTTPFields) -> HTTPFields {
        var result = lhs
        result.append(contentsOf: rhs)
        return result
    }
}
