import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import KVTestSupport
@testable import KVServer

@Suite struct KVRoutesTests {
    @Test func putCreatesThenReplacesAndGetReturnsExactBytes() async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.router) { client in
            let bytes: [UInt8] = [0, 255, 10, 13, 0x7F, 42]
            try await client.execute(uri: "/api/v1/kv/greeting", method: .put, body: ByteBuffer(bytes: bytes)) { response in
                #expect(response.status == .created)
                let body = try json(response.body)
                #expect(body["key"] as? String == "greeting")
                #expect(body["bytes"] as? Int == 6)
            }
            try await client.execute(uri: "/api/v1/kv/greeting", method: .put, body: ByteBuffer(bytes: bytes)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/v1/kv/greeting", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/octet-stream")
                #expect(Array(response.body.readableBytesView) == bytes)
            }
            try await client.execute(uri: "/api/v1/kv/greeting", method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentLength] == "6")
                #expect(response.body.readableBytes == 0)
            }
        }
    }

    @Test func emptyValueIsStored() async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/empty", method: .put) { #expect($0.status == .created) }
            try await client.execute(uri: "/api/v1/kv/empty", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 0)
            }
        }
    }

    @Test func deleteAnswers204ThenMissingIs404() async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/x", method: .put, body: ByteBuffer(string: "1"))
            try await client.execute(uri: "/api/v1/kv/x", method: .delete) { #expect($0.status == .noContent) }
            try await client.execute(uri: "/api/v1/kv/x", method: .delete) { response in
                #expect(response.status == .notFound)
                #expect(errorCode(response.body) == "not_found")
            }
            try await client.execute(uri: "/api/v1/kv/x", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            }
        }
    }

    @Test func percentEncodedSlashIsPartOfOneKey() async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/a%2Fb", method: .put, body: ByteBuffer(string: "slash"))
            try await client.execute(uri: "/api/v1/kv/a", method: .put, body: ByteBuffer(string: "plain"))
            for (uri, expected) in [("/api/v1/kv/a%2Fb", "slash"), ("/api/v1/kv/a", "plain")] {
                try await client.execute(uri: uri, method: .get) { #expect($0.body.string == expected) }
            }
            for uri in ["/api/v1/kv/a%2F", "/api/v1/kv/a%2F%2Fb"] {
                try await client.execute(uri: uri, method: .get) { #expect($0.status == .notFound) }
            }
            try await client.execute(uri: "/api/v1/kv?prefix=a", method: .get) { response in
                let keys = (try json(response.body)["keys"] as? [[String: Any]])?.compactMap { $0["key"] as? String }
                #expect(keys == ["a", "a/b"])
            }
        }
    }

    @Test(arguments: [
        ("/api/v1/kv/", "invalid_key"),
        ("/api/v1/kv/%00", "invalid_key"),
        ("/api/v1/kv/a%01b", "invalid_key"),
        ("/api/v1/kv/%FF%FE", "invalid_key"),
        ("/api/v1/kv/..", "invalid_key"),
        ("/api/v1/kv/%2E%2E", "invalid_key"),
        ("/api/v1/kv/" + String(repeating: "k", count: 512), "invalid_key"),
    ])
    func badKeysGet400WithJSONError(uri: String, code: String) async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.router) { client in
            for method in [HTTPRequest.Method.put, .get, .delete] {
                try await client.execute(uri: uri, method: method, body: ByteBuffer(string: "v")) { response in
                    #expect(response.status == .badRequest, "\(method) \(uri)")
                    #expect(errorCode(response.body) == code)
                }
            }
        }
    }

    @Test func keyOf511BytesIsAccepted() async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        let key = String(repeating: "é", count: 255) + "k"   // 511 bytes of UTF-8
        let encoded = key.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/" + encoded, method: .put, body: ByteBuffer(string: "v")) { #expect($0.status == .created) }
            try await client.execute(uri: "/api/v1/kv/" + encoded, method: .get) { #expect($0.body.string == "v") }
        }
    }

    @Test func valueAtLimitIsAcceptedAndOverLimitIs413() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) { $0.storage.maxValueBytes = 1000 }
        let app = try await buildApplication(configuration: configuration, logger: testLogger())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/max", method: .put, body: ByteBuffer(repeating: 1, count: 1000)) { #expect($0.status == .created) }
            try await client.execute(uri: "/api/v1/kv/over", method: .put, body: ByteBuffer(repeating: 1, count: 1001)) { response in
                #expect(response.status == .contentTooLarge)
                #expect(errorCode(response.body) == "value_too_large")
            }
            try await client.execute(uri: "/api/v1/kv/over", method: .get) { #expect($0.status == .notFound) }
        }
    }

    /// Over a socket: a chunked body (no Content-Length) that passes the limit is `413
    /// value_too_large`, as a declared one is (it was a `500 internal_error`).
    @Test func chunkedValueOverLimitIs413() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) { $0.storage.maxValueBytes = 1000 }
        let app = try await buildApplication(configuration: configuration, logger: testLogger())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            func putChunked(_ key: String, _ count: Int) async -> String {
                let chunk = String(repeating: "x", count: count)
                let request = "PUT /api/v1/kv/\(key) HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + String(count, radix: 16) + "\r\n" + chunk + "\r\n0\r\n\r\n"
                return await rawExchange(port: port, Array(request.utf8))
            }
            let fits = await putChunked("fits", 1000)
            #expect(fits.hasPrefix("HTTP/1.1 201 "), "\(fits)")
            let over = await putChunked("over", 5000)
            #expect(over.hasPrefix("HTTP/1.1 413 "), "\(over)")
            #expect(over.contains("\"code\":\"value_too_large\""), "\(over)")
            try await client.execute(uri: "/api/v1/kv/over", method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test func quotaReachedGives507WhileReadsAndDeletesWork() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) {
            $0.storage.quotaBytes = 1 << 20
            $0.storage.maxValueBytes = 64 << 10
        }
        let app = try await buildApplication(configuration: configuration, logger: testLogger())
        try await app.test(.router) { client in
            var status = HTTPResponse.Status.created
            var index = 0
            while status == .created && index < 100 {
                status = try await client.execute(uri: "/api/v1/kv/k\(index)", method: .put, body: ByteBuffer(repeating: 7, count: 60 << 10)).status
                index += 1
            }
            #expect(status.code == 507)
            try await client.execute(uri: "/api/v1/kv/k\(index)", method: .put, body: ByteBuffer(repeating: 7, count: 60 << 10)) { response in
                #expect(response.status.code == 507)
                #expect(errorCode(response.body) == "quota_exceeded")
            }
            try await client.execute(uri: "/api/v1/kv/k0", method: .get) { #expect($0.body.readableBytes == 60 << 10) }
            try await client.execute(uri: "/api/v1/kv/k0", method: .delete) { #expect($0.status == .noContent) }
        }
    }

    @Test func listingPagesWithCursorAndValidatesLimit() async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.router) { client in
            for key in ["p/1", "p/2", "p/3", "q"] {
                try await client.execute(uri: "/api/v1/kv/" + key.replacingOccurrences(of: "/", with: "%2F"), method: .put, body: ByteBuffer(string: key))
            }
            let next = try await client.execute(uri: "/api/v1/kv?prefix=p%2F&limit=2", method: .get) { response in
                let body = try json(response.body)
                let keys = (body["keys"] as? [[String: Any]])?.compactMap { $0["key"] as? String }
                #expect(keys == ["p/1", "p/2"])
                #expect((body["keys"] as? [[String: Any]])?.first?["bytes"] as? Int == 3)
                return body["next"] as? String
            }
            #expect(next == "p/2")
            try await client.execute(uri: "/api/v1/kv?prefix=p%2F&limit=2&after=p%2F2", method: .get) { response in
                let body = try json(response.body)
                #expect((body["keys"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["p/3"])
                #expect(body["next"] is NSNull)
            }
            for bad in ["0", "1001", "x"] {
                try await client.execute(uri: "/api/v1/kv?limit=\(bad)", method: .get) { response in
                    #expect(response.status == .badRequest)
                    #expect(errorCode(response.body) == "invalid_limit")
                }
            }
        }
    }

    @Test(arguments: [
        (HTTPRequest.Method.delete, "/api/v1/kv//a"),
        (.put, "/api/v1/kv/a/"),
        (.put, "/api/v1/kv//a"),
        (.get, "/api/v1/kv/a//"),
        (.get, "/api/v1/kv/a//b"),
        (.get, "/api/v1/kv/a/b"),
        (.delete, "//api/v1/kv/a"),
        (.put, "/api//v1/kv/a"),
        (.get, "/api/v1/kv//"),
        (.put, "/api/v1/kv/"),
        (.get, "/api/v1/kv/%FF"),
        (.put, "/api/v1/kv/a%C3"),
    ])
    func keyPathsWithEmptySegmentsNeverAliasAnotherKey(method: HTTPRequest.Method, uri: String) async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/a", method: .put, body: ByteBuffer(string: "original"))
            try await client.execute(uri: uri, method: method, body: ByteBuffer(string: "changed")) { response in
                #expect(response.status == .badRequest, "\(method) \(uri)")
                #expect(errorCode(response.body) == "invalid_key", "\(method) \(uri)")
            }
            try await client.execute(uri: "/api/v1/kv/a", method: .get) { #expect($0.body.string == "original") }
            try await client.execute(uri: "/api/v1/kv", method: .get) { response in
                #expect(response.status == .ok)
                let keys = try json(response.body)["keys"] as? [[String: Any]]
                #expect(keys?.compactMap { $0["key"] as? String } == ["a"])
            }
        }
    }

    /// Over a socket, so that the bytes sent are the bytes the server's HTTP parser sees (the test
    /// clients would encode or refuse them). The HTTP/1.1 parser (llhttp, strict) refuses any raw
    /// byte over 0x7F in the request target with a bare `400` before any route runs, so raw bytes
    /// never become U+FFFD or another key; percent-encoded ones are checked by the route.
    @Test func rawNonASCIIBytesInTheKeyPathAreRefusedNotReplaced() async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            func put(_ path: [UInt8]) async -> String {
                await rawExchange(
                    port: port,
                    Array("PUT ".utf8) + path + Array(" HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nConnection: close\r\n\r\nv".utf8))
            }
            // The same exchange, percent-encoded, stores exactly the key sent.
            let encoded = await put(Array("/api/v1/kv/caf%C3%A9".utf8))
            #expect(encoded.hasPrefix("HTTP/1.1 201 "), "\(encoded)")
            #expect(encoded.hasSuffix("{\"bytes\":1,\"create_revision\":1,\"key\":\"caf\u{E9}\",\"revision\":1,\"version\":1}\n"), "\(encoded)")
            for raw: [UInt8] in [[0xFF], [0x61, 0xC3], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBD], [0x63, 0x61, 0x66, 0xC3, 0xA9]] {
                let answer = await put(Array("/api/v1/kv/".utf8) + raw)
                #expect(answer.hasPrefix("HTTP/1.1 400 "), "\(raw): \(answer)")
            }
            for encoded in ["/api/v1/kv/%FF", "/api/v1/kv/a%C3", "/api/v1/kv/%C3%28", "/api/v1/kv/%ED%A0%80"] {
                let answer = await put(Array(encoded.utf8))
                #expect(answer.hasPrefix("HTTP/1.1 400 "), "\(encoded): \(answer)")
                #expect(answer.contains("\"code\":\"invalid_key\""), "\(encoded): \(answer)")
            }
            try await client.execute(uri: "/api/v1/kv", method: .get) { response in
                let keys = try json(response.body)["keys"] as? [[String: Any]]
                #expect(keys?.compactMap { $0["key"] as? String } == ["caf\u{E9}"])
            }
        }
    }

    /// Bytes that were not UTF-8 reach a route as U+FFFD if a transport ever lets them through: still refused.
    @Test func aReplacementCharacterInTheRawPathIsRefused() async throws {
        let folder = TemporaryFolder()
        let parts = try buildServer(configuration: testConfiguration(folder: folder), logger: testLogger())
        let client = DirectClient(try buildRouter(parts.routes))
        for method in [HTTPRequest.Method.put, .get, .delete] {
            let response = try await client.execute(method, "/api/v1/kv/a\u{FFFD}b", body: "v")
            #expect(response.status == 400, "\(method)")
            #expect(response.errorCode == "invalid_key", "\(method)")
        }
        #expect(try await client.execute(.get, "/api/v1/kv/a%EF%BF%BDb").status == 404)
    }
}
