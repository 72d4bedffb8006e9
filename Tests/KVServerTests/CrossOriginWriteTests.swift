import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KVConfiguration
import Testing
import KVTestSupport
@testable import KVServer

/// Writes from another site's web page get `403 cross_origin`; browsers on the same origin and
/// non-browser clients are unaffected.
@Suite struct CrossOriginWriteTests {
    static let origin = HTTPField.Name("Origin")!
    static let fetchSite = HTTPField.Name("Sec-Fetch-Site")!

    @Test func aCrossSiteSimplePOSTOfASnapshotIsRefused() async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.router) { client in
            let headers: HTTPFields = [Self.origin: "https://evil.example", .contentType: "text/plain"]
            try await client.execute(uri: "/api/v1/snapshots", method: .post, headers: headers) { response in
                #expect(response.status == .forbidden)
                #expect(errorCode(response.body) == "cross_origin")
            }
            try await client.execute(uri: "/api/v1/snapshots", method: .get) { response in
                let snapshots = try json(response.body)["snapshots"] as? [Any]
                #expect(snapshots?.isEmpty == true)
            }
        }
    }

    @Test(arguments: [
        [Self.origin: "https://evil.example"],
        [Self.origin: "null"],
        [Self.origin: "http://localhost:3000"],  // same host, another port: another origin
        [Self.origin: "https://localhost"],  // another scheme
        [Self.fetchSite: "cross-site"],
        [Self.fetchSite: "same-site"],  // same-site needs an acceptable Origin
        [Self.origin: "https://evil.example", Self.fetchSite: "same-origin"],
    ] as [HTTPFields])
    func crossSiteWritesAreRefusedAndChangeNothing(headers: HTTPFields) async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/k", method: .put, body: ByteBuffer(string: "original"))
            for (method, uri) in [(HTTPRequest.Method.put, "/api/v1/kv/k"), (.delete, "/api/v1/kv/k"), (.post, "/api/v1/snapshots"),
                                  (.patch, "/api/v1/kv/k")] {
                try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: "changed")) { response in
                    #expect(response.status == .forbidden, "\(method) \(uri) \(headers)")
                    #expect(errorCode(response.body) == "cross_origin", "\(method) \(uri) \(headers)")
                }
            }
            try await client.execute(uri: "/api/v1/kv/k", method: .get) { #expect($0.body.string == "original") }
            // Reads are CORS's business, not refused here.
            try await client.execute(uri: "/api/v1/kv/k", method: .get, headers: headers) { #expect($0.status == .ok) }
        }
    }

    @Test(arguments: [
        [:],  // curl, SDKs
        [Self.origin: "http://localhost"],  // the test client's Host is localhost
        [Self.origin: "http://LOCALHOST:80"],
        [Self.origin: "http://localhost", Self.fetchSite: "same-origin"],
        [Self.fetchSite: "same-origin"],
        [Self.fetchSite: "none"],
        [Self.origin: "http://localhost", Self.fetchSite: "same-site"],
    ] as [HTTPFields])
    func sameOriginAndNonBrowserWritesGoThrough(headers: HTTPFields) async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/k", method: .put, headers: headers, body: ByteBuffer(string: "v")) {
                #expect($0.status == .created, "\(headers)")
            }
            try await client.execute(uri: "/api/v1/kv/k", method: .delete, headers: headers) { #expect($0.status == .noContent) }
            try await client.execute(uri: "/api/v1/snapshots", method: .post, headers: headers) { #expect($0.status == .created) }
        }
    }

    @Test func theOriginMustMatchTheRequestsOwnHostAndPort() async throws {
        let folder = TemporaryFolder()
        let parts = try buildServer(configuration: testConfiguration(folder: folder), logger: testLogger())
        let client = DirectClient(try buildRouter(parts.routes))
        let same = try await client.execute(.put, "/api/v1/kv/k", host: "127.0.0.1:8080", headers: [Self.origin: "http://127.0.0.1:8080"], body: "v")
        #expect(same.status == 201)
        let otherPort = try await client.execute(.put, "/api/v1/kv/k", host: "127.0.0.1:8080", headers: [Self.origin: "http://127.0.0.1:8081"], body: "x")
        #expect(otherPort.status == 403)
        #expect(otherPort.errorCode == "cross_origin")
        #expect(try await client.execute(.get, "/api/v1/kv/k", host: "127.0.0.1:8080").body == "v")
    }

    @Test func aListedCORSOriginMayWriteCrossSite() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) { $0.security.corsOrigins = ["https://app.example"] }
        let app = try await buildApplication(configuration: configuration, logger: testLogger())
        try await app.test(.router) { client in
            let listed: HTTPFields = [Self.origin: "https://app.example", Self.fetchSite: "cross-site"]
            try await client.execute(uri: "/api/v1/kv/k", method: .put, headers: listed, body: ByteBuffer(string: "v")) { response in
                #expect(response.status == .created)
                #expect(response.headers[.accessControlAllowOrigin] == "https://app.example")
            }
            try await client.execute(uri: "/api/v1/kv/k", method: .put, headers: [Self.origin: "https://other.example"], body: ByteBuffer(string: "x")) {
                #expect($0.status == .forbidden)
                #expect(errorCode($0.body) == "cross_origin")
            }
        }
    }

    @Test func authenticationIsCheckedBeforeTheOrigin() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) { $0.security.tokens = TestSecrets.tokens }
        let app = try await buildApplication(configuration: configuration, logger: testLogger())
        try await app.test(.router) { client in
            let evil: HTTPFields = [Self.origin: "https://evil.example"]
            try await client.execute(uri: "/api/v1/kv/k", method: .put, headers: evil, body: ByteBuffer(string: "v")) {
                #expect($0.status == .unauthorized)
            }
            var withToken = evil
            withToken[.authorization] = "Bearer \(TestSecrets.write)"
            try await client.execute(uri: "/api/v1/kv/k", method: .put, headers: withToken, body: ByteBuffer(string: "v")) {
                #expect($0.status == .forbidden)
                #expect(errorCode($0.body) == "cross_origin")
            }
            try await client.execute(uri: "/api/v1/kv/k", method: .get, headers: Presented.read.headers) { #expect($0.status == .notFound) }
        }
    }
}
