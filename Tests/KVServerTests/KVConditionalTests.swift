import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KVSnapshot
import Synchronization
import Testing
import KVTestSupport
@testable import KVServer

/// Versions and conditional requests on `/api/v1/kv`: `ETag`, `X-KV-*`, `If-Match`,
/// `If-None-Match`, `304`, `412` and its body, listings' revisions, `?ttl=`.
@Suite struct KVConditionalTests {
    func app(_ folder: TemporaryFolder) async throws -> some ApplicationProtocol {
        try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
    }

    @Test func revisionsAcrossPutPutDeletePut() async throws {
        let folder = TemporaryFolder()
        try await app(folder).test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/a", method: .put, body: ByteBuffer(string: "1")) { response in
                #expect(response.status == .created)
                #expect(response.headers[.eTag] == "\"1\"")
                #expect(response.headers[.kvRevision] == "1")
                let body = try json(response.body)
                #expect(body["revision"] as? Int == 1)
                #expect(body["create_revision"] as? Int == 1)
                #expect(body["version"] as? Int == 1)
                #expect(body["expires_at"] == nil)
                #expect(body["key"] as? String == "a")
                #expect(body["bytes"] as? Int == 1)
            }
            try await client.execute(uri: "/api/v1/kv/a", method: .put, body: ByteBuffer(string: "22")) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] == "\"2\"")
                let body = try json(response.body)
                #expect(body["revision"] as? Int == 2)
                #expect(body["create_revision"] as? Int == 1)
                #expect(body["version"] as? Int == 2)
            }
            try await client.execute(uri: "/api/v1/kv/b", method: .put, body: ByteBuffer(string: "b"))
            for method in [HTTPRequest.Method.get, .head] {
                try await client.execute(uri: "/api/v1/kv/a", method: method) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.eTag] == "\"2\"")
                    #expect(response.headers[.kvRevision] == "3")   // the store's: b's put
                    #expect(response.headers[.kvCreateRevision] == "1")
                    #expect(response.headers[.kvVersion] == "2")
                    #expect(response.headers[.kvExpiresAt] == nil)
                }
            }
            try await client.execute(uri: "/api/v1/kv/a", method: .delete) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.kvRevision] == "4")
            }
            try await client.execute(uri: "/api/v1/kv/a", method: .delete) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/v1/kv/a", method: .put, body: ByteBuffer(string: "3")) { response in
                #expect(response.status == .created)
                #expect(response.headers[.eTag] == "\"5\"")
                #expect(response.headers[.kvRevision] == "5")
                let body = try json(response.body)
                #expect(body["create_revision"] as? Int == 5)
                #expect(body["version"] as? Int == 1)
            }
        }
    }

    @Test func ifNoneMatchAnswers304AndIfMatchOnGetCanFail() async throws {
        let folder = TemporaryFolder()
        try await app(folder).test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/k", method: .put, body: ByteBuffer(string: "v"))
            // Weak comparison: W/"1" matches; a list matches when any tag does; * matches any key.
            for tags in ["\"1\"", "W/\"1\"", "\"7\", \"1\"", "*", " , \"1\" ,"] {
                for method in [HTTPRequest.Method.get, .head] {
                    try await client.execute(uri: "/api/v1/kv/k", method: method, headers: [.ifNoneMatch: tags]) { response in
                        #expect(response.status == .notModified, "\(method) If-None-Match: \(tags)")
                        #expect(response.headers[.eTag] == "\"1\"")
                        #expect(response.headers[.kvRevision] == "1")
                        #expect(response.body.readableBytes == 0)
                    }
                }
            }
            try await client.execute(uri: "/api/v1/kv/k", method: .get, headers: [.ifNoneMatch: "\"2\", W/\"01\""]) { response in
                #expect(response.status == .ok)
                #expect(response.body.string == "v")
            }
            // If-Match compares strongly: W/"1" does not match.
            for tags in ["\"2\"", "W/\"1\""] {
                try await client.execute(uri: "/api/v1/kv/k", method: .get, headers: [.ifMatch: tags]) { response in
                    #expect(response.status == .preconditionFailed, "If-Match: \(tags)")
                    let body = try json(response.body)
                    #expect(errorCode(response.body) == "precondition_failed")
                    #expect(body["current_revision"] as? Int == 1)
                    #expect(body["exists"] as? Bool == true)
                }
            }
            try await client.execute(uri: "/api/v1/kv/k", method: .get, headers: [.ifMatch: "\"1\""]) { #expect($0.status == .ok) }
            // A missing key is 404 whatever the conditions.
            try await client.execute(uri: "/api/v1/kv/none", method: .get, headers: [.ifMatch: "\"1\""]) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/v1/kv/none", method: .get, headers: [.ifNoneMatch: "*"]) { #expect($0.status == .notFound) }
        }
    }

    @Test func conditionalPutsAndDeletes() async throws {
        let folder = TemporaryFolder()
        try await app(folder).test(.router) { client in
            // If-None-Match: * creates only.
            try await client.execute(uri: "/api/v1/kv/k", method: .put, headers: [.ifNoneMatch: "*"], body: ByteBuffer(string: "1")) {
                #expect($0.status == .created)
            }
            try await client.execute(uri: "/api/v1/kv/k", method: .put, headers: [.ifNoneMatch: "*"], body: ByteBuffer(string: "2")) { response in
                #expect(response.status == .preconditionFailed)
                let body = try json(response.body)
                #expect(body["current_revision"] as? Int == 1)
                #expect(body["exists"] as? Bool == true)
            }
            // If-Match: a wrong revision is 412 and writes nothing; the right one writes.
            try await client.execute(uri: "/api/v1/kv/k", method: .put, headers: [.ifMatch: "\"9\""], body: ByteBuffer(string: "x")) {
                #expect($0.status == .preconditionFailed)
            }
            try await client.execute(uri: "/api/v1/kv/k", method: .put, headers: [.ifMatch: "\"1\""], body: ByteBuffer(string: "3")) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] == "\"2\"")
            }
            // A list: any tag may match (checked on a read, then pinned to the revision read).
            try await client.execute(uri: "/api/v1/kv/k", method: .put, headers: [.ifMatch: "\"1\", \"2\""], body: ByteBuffer(string: "4")) {
                #expect($0.headers[.eTag] == "\"3\"")
            }
            try await client.execute(uri: "/api/v1/kv/k", method: .put, headers: [.ifNoneMatch: "\"1\", \"2\""], body: ByteBuffer(string: "5")) {
                #expect($0.headers[.eTag] == "\"4\"")
            }
            try await client.execute(uri: "/api/v1/kv/k", method: .put, headers: [.ifNoneMatch: "W/\"4\""], body: ByteBuffer(string: "6")) {
                #expect($0.status == .preconditionFailed)
            }
            try await client.execute(uri: "/api/v1/kv/k", method: .get) { #expect($0.body.string == "5") }
            // If-Match: * needs the key; a missing key's 412 says so.
            try await client.execute(uri: "/api/v1/kv/new", method: .put, headers: [.ifMatch: "*"], body: ByteBuffer(string: "x")) { response in
                #expect(response.status == .preconditionFailed)
                let body = try json(response.body)
                #expect(body["current_revision"] is NSNull)
                #expect(body["exists"] as? Bool == false)
                #expect(errorCode(response.body) == "precondition_failed")
            }
            try await client.execute(uri: "/api/v1/kv/new", method: .get) { #expect($0.status == .notFound) }
            // DELETE: wrong revision 412 (nothing deleted), right one 204 with the delete's revision.
            try await client.execute(uri: "/api/v1/kv/k", method: .delete, headers: [.ifMatch: "\"3\""]) { response in
                #expect(response.status == .preconditionFailed)
                #expect((try? json(response.body))?["current_revision"] as? Int == 4)
            }
            try await client.execute(uri: "/api/v1/kv/k", method: .delete, headers: [.ifMatch: "\"4\""]) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.kvRevision] == "5")
            }
            try await client.execute(uri: "/api/v1/kv/k", method: .delete, headers: [.ifMatch: "\"4\""]) { response in
                #expect(response.status == .preconditionFailed)
                #expect((try? json(response.body))?["exists"] as? Bool == false)
            }
            // The conditions hold (the key is absent) but there is nothing to delete.
            try await client.execute(uri: "/api/v1/kv/k", method: .delete, headers: [.ifNoneMatch: "*"]) { #expect($0.status == .notFound) }
        }
    }

    @Test(arguments: ["1", "\"1", "W/1", "\"1\" \"2\"", "*, \"1\"", "w/\"1\"", "\"a b\""])
    func malformedEntityTagsAre400(_ value: String) async throws {
        let folder = TemporaryFolder()
        try await app(folder).test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/k", method: .put, body: ByteBuffer(string: "v"))
            for (method, field) in [(HTTPRequest.Method.put, HTTPField.Name.ifMatch), (.put, .ifNoneMatch), (.get, .ifMatch), (.get, .ifNoneMatch), (.delete, .ifMatch)] {
                try await client.execute(uri: "/api/v1/kv/k", method: method, headers: [field: value], body: ByteBuffer(string: "w")) { response in
                    #expect(response.status == .badRequest, "\(method) \(field): \(value)")
                    #expect(errorCode(response.body) == "invalid_precondition")
                }
            }
            try await client.execute(uri: "/api/v1/kv/k", method: .get) { #expect($0.body.string == "v") }
        }
    }

    @Test func failedConditionsAreCountedByOp() async throws {
        let folder = TemporaryFolder()
        try await app(folder).test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/k", method: .put, body: ByteBuffer(string: "v"))
            try await client.execute(uri: "/api/v1/kv/k", method: .get, headers: [.ifMatch: "\"9\""])
            try await client.execute(uri: "/api/v1/kv/k", method: .get, headers: [.ifNoneMatch: "\"1\""]) { #expect($0.status == .notModified) }
            try await client.execute(uri: "/api/v1/kv/k", method: .put, headers: [.ifNoneMatch: "*"], body: ByteBuffer(string: "v"))
            try await client.execute(uri: "/api/v1/kv/k", method: .put, headers: [.ifMatch: "\"9\", \"8\""], body: ByteBuffer(string: "v"))
            try await client.execute(uri: "/api/v1/kv/k", method: .delete, headers: [.ifMatch: "\"9\""])
            let samples = try await client.execute(uri: "/api/v1/metrics", method: .get) { parseExposition($0.body.string) }
            #expect(samples["kvstore_kv_conditional_failures_total{op=\"get\"}"] == 1)
            #expect(samples["kvstore_kv_conditional_failures_total{op=\"put\"}"] == 2)
            #expect(samples["kvstore_kv_conditional_failures_total{op=\"delete\"}"] == 1)
            #expect(samples["kvstore_http_requests_total{method=\"GET\",route=\"/api/v1/kv/{key}\",code=\"304\"}"] == 1)
        }
    }

    @Test func listingsCarryRevisionsAndExpiry() async throws {
        let folder = TemporaryFolder()
        try await app(folder).test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/a", method: .put, body: ByteBuffer(string: "1"))
            try await client.execute(uri: "/api/v1/kv/a", method: .put, body: ByteBuffer(string: "2"))
            let expires = try await client.execute(uri: "/api/v1/kv/b?ttl=1h", method: .put, body: ByteBuffer(string: "3")) { response in
                try json(response.body)["expires_at"] as? String
            }
            try await client.execute(uri: "/api/v1/kv/c", method: .put, body: ByteBuffer(string: "4"))
            try await client.execute(uri: "/api/v1/kv", method: .get) { response in
                let body = try json(response.body)
                #expect(body["revision"] as? Int == 4)
                let entries = try #require(body["keys"] as? [[String: Any]])
                #expect(entries.map { $0["key"] as? String } == ["a", "b", "c"])
                #expect(entries.map { $0["mod_revision"] as? Int } == [2, 3, 4])
                #expect(entries.map { $0["create_revision"] as? Int } == [1, 3, 4])
                #expect(entries.map { $0["version"] as? Int } == [2, 1, 1])
                #expect(entries[1]["expires_at"] as? String == expires)
                #expect(entries[0]["expires_at"] == nil)
            }
        }
    }

    @Test func ttlIsAcceptedFrom1sTo3650dAndAPutWithoutOneClearsIt() async throws {
        let folder = TemporaryFolder()
        let before = Date()
        try await app(folder).test(.router) { client in
            for ttl in ["30s", "30", "1", "1h30m", "3650d"] {
                try await client.execute(uri: "/api/v1/kv/t?ttl=\(ttl)", method: .put, body: ByteBuffer(string: "v")) { response in
                    #expect(response.status.code / 100 == 2, "ttl=\(ttl)")
                    #expect((try? json(response.body))?["expires_at"] is String, "ttl=\(ttl)")
                }
            }
            try await client.execute(uri: "/api/v1/kv/t?ttl=30s", method: .put, body: ByteBuffer(string: "v")) { response in
                let text = try #require(try json(response.body)["expires_at"] as? String)
                let date = try #require(SnapshotTime.parse(text))
                #expect(date.timeIntervalSince(before) >= 29.9 && date.timeIntervalSince(before) <= 30 + 3600)
            }
            try await client.execute(uri: "/api/v1/kv/t", method: .get) { response in
                #expect(response.headers[.kvExpiresAt] != nil)
            }
            for ttl in ["0", "0s", "0.5", "-1", "abc", "3651d", "1x", ""] {
                try await client.execute(uri: "/api/v1/kv/bad?ttl=\(ttl)", method: .put, body: ByteBuffer(string: "v")) { response in
                    #expect(response.status == .badRequest, "ttl=\(ttl)")
                    #expect(errorCode(response.body) == "invalid_ttl", "ttl=\(ttl)")
                }
            }
            try await client.execute(uri: "/api/v1/kv/bad", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/v1/kv/t", method: .put, body: ByteBuffer(string: "v")) { response in
                #expect((try? json(response.body))?["expires_at"] == nil)
            }
            try await client.execute(uri: "/api/v1/kv/t", method: .get) { #expect($0.headers[.kvExpiresAt] == nil) }
        }
    }

    /// N clients increment one counter over real sockets: GET, then PUT If-Match, again on 412.
    /// No increment is lost: the final value is the number of 2xx PUTs.
    @Test(.timeLimit(.minutes(2)))
    func casIncrementRaceOverHTTP() async throws {
        let folder = TemporaryFolder()
        let clients = 6
        let increments = 5
        try await app(folder).test(.live) { client in
            let port = try #require(client.port)
            try await client.execute(uri: "/api/v1/kv/counter", method: .put, body: ByteBuffer(string: "0")) { #expect($0.status == .created) }
            let results = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for _ in 0..<clients {
                    group.addTask {
                        var succeeded = 0
                        var conflicts = 0
                        while succeeded < increments {
                            let got = await exchange(port: port, "GET", "/api/v1/kv/counter")
                            guard got.status == 200, let etag = got.headers["etag"], let value = Int(got.body) else {
                                throw CASFailure(answer: got.raw)
                            }
                            let put = await exchange(port: port, "PUT", "/api/v1/kv/counter", headers: ["If-Match": etag], body: String(value + 1))
                            switch put.status {
                            case 200: succeeded += 1
                            case 412: conflicts += 1
                            default: throw CASFailure(answer: put.raw)
                            }
                        }
                        return (succeeded, conflicts)
                    }
                }
                var all: [(Int, Int)] = []
                for try await result in group { all.append(result) }
                return all
            }
            let successes = results.map(\.0).reduce(0, +)
            #expect(successes == clients * increments)
            try await client.execute(uri: "/api/v1/kv/counter", method: .get) { response in
                #expect(response.body.string == String(successes))
                #expect(response.headers[.kvVersion] == String(successes + 1))
            }
            let samples = try await client.execute(uri: "/api/v1/metrics", method: .get) { parseExposition($0.body.string) }
            #expect(samples["kvstore_kv_conditional_failures_total{op=\"put\"}"] == Double(results.map(\.1).reduce(0, +)))
        }
    }
}

struct CASFailure: Error { let answer: String }

/// The parts of one raw HTTP answer.
struct RawAnswer: Sendable {
    var status = 0
    /// Lowercased names.
    var headers: [String: String] = [:]
    var body = ""
    var raw = ""
}

/// One request on its own connection (`Connection: close`), parsed.
func exchange(port: Int, _ method: String, _ path: String, headers: [String: String] = [:], body: String = "") async -> RawAnswer {
    var request = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n"
    for (name, value) in headers { request += "\(name): \(value)\r\n" }
    request += "\r\n" + body
    let raw = await rawExchange(port: port, Array(request.utf8))
    var answer = RawAnswer(raw: raw)
    guard let split = raw.range(of: "\r\n\r\n") else { return answer }
    let head = raw[..<split.lowerBound].components(separatedBy: "\r\n")
    answer.status = head.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
    for line in head.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        answer.headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    answer.body = String(raw[split.upperBound...])
    return answer
}
