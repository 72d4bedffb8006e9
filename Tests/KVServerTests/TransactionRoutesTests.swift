import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KVConfiguration
import KVSnapshot
import Synchronization
import Testing
import KVTestSupport
@testable import KVServer

/// `value` as the API spells bytes: base64.
private func b64(_ value: String) -> String { Data(value.utf8).base64EncodedString() }

/// POSTs `body` to `/api/v1/txn` and hands back the status and the body text.
@discardableResult
private func txn(
    _ client: some TestClientProtocol, _ body: String, headers: HTTPFields = [:]
) async throws -> (status: HTTPResponse.Status, body: String, headers: HTTPFields) {
    try await client.execute(uri: "/api/v1/txn", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
        (response.status, response.body.string, response.headers)
    }
}

/// One `POST /api/v1/txn` over its own TCP connection (`Connection: close`), from its own thread:
/// the status code and the body.
private func rawTxn(port: Int, _ body: String) async -> (status: Int, body: String) {
    let head = "POST /api/v1/txn HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
    return parseRawAnswer(await rawExchange(port: port, Array((head + body).utf8)))
}

private func parseRawAnswer(_ answer: String) -> (status: Int, body: String) {
    let status = answer.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
    let body = answer.range(of: "\r\n\r\n").map { String(answer[$0.upperBound...]) } ?? ""
    return (status, body)
}

private func jsonObject(_ text: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
}

private func errorCodeAndMessage(_ text: String) -> (code: String?, message: String?) {
    let error = (try? jsonObject(text))?["error"] as? [String: Any]
    return (error?["code"] as? String, error?["message"] as? String)
}

/// A flag one task sets and another reads.
private final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}

@Suite struct TransactionRoutesTests {
    /// a: created at 1, modified at 2 (version 2); c: created at 3. b does not exist.
    static let setUp = [
        #"{"success":[{"op":"put","key":"a","value":"\#(b64("one"))"}]}"#,
        #"{"success":[{"op":"put","key":"a","value":"\#(b64("two"))"}]}"#,
        #"{"success":[{"op":"put","key":"c","value":"\#(b64("cee"))"}]}"#,
    ]

    @Test func theSuccessBranchRunsWhenEveryKindOfCompareHolds() async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.router) { client in
            for body in Self.setUp { #expect(try await txn(client, body).status == .ok) }
            let answer = try await txn(client, """
                {"compare":[{"key":"a","mod_revision":2},{"key":"a","create_revision":1},{"key":"a","version":2},
                            {"key":"b","exists":false},{"key":"c","exists":true},{"key":"c","value":"\(b64("cee"))"},
                            {"key":"b","mod_revision":0},{"key":"b","version":0}],
                 "success":[{"op":"get","key":"a"},{"op":"put","key":"b","value":"\(b64("new"))"},{"op":"delete","key":"c"},
                            {"op":"get","key":"b"},{"op":"get","key":"c"},{"op":"delete","key":"nothing"}],
                 "failure":[{"op":"delete","key":"a"}]}
                """)
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType] == "application/json; charset=utf-8")
            let expected = #"{"results":["#
                + #"{"create_revision":1,"found":true,"key":"a","mod_revision":2,"op":"get","value":"\#(b64("two"))","version":2},"#
                + #"{"create_revision":4,"created":true,"key":"b","mod_revision":4,"op":"put","version":1},"#
                + #"{"deleted":true,"key":"c","op":"delete","previous_mod_revision":3},"#
                + #"{"create_revision":4,"found":true,"key":"b","mod_revision":4,"op":"get","value":"\#(b64("new"))","version":1},"#
                + #"{"found":false,"key":"c","op":"get"},"#
                + #"{"deleted":false,"key":"nothing","op":"delete","previous_mod_revision":0}"#
                + #"],"revision":4,"succeeded":true}"# + "\n"
            #expect(answer.body == expected)
            // Applied: a is untouched, b holds the new value, c is gone.
            try await client.execute(uri: "/api/v1/kv/a", method: .get) { #expect($0.body.string == "two") }
            try await client.execute(uri: "/api/v1/kv/b", method: .get) { #expect($0.body.string == "new") }
            try await client.execute(uri: "/api/v1/kv/c", method: .get) { #expect($0.status == .notFound) }
        }
    }

    /// Each kind of compare, failing: the failure branch runs (still 200), the success branch does not.
    @Test(arguments: [
        #"{"key":"a","mod_revision":1}"#,
        #"{"key":"a","create_revision":2}"#,
        #"{"key":"a","version":1}"#,
        #"{"key":"a","exists":false}"#,
        #"{"key":"b","exists":true}"#,
        #"{"key":"a","value":"\#(b64("one"))"}"#,
        #"{"key":"b","value":""}"#,
    ])
    func theFailureBranchRunsWhenACompareFails(compare: String) async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.router) { client in
            for body in Self.setUp { #expect(try await txn(client, body).status == .ok) }
            let answer = try await txn(client, """
                {"compare":[{"key":"c","exists":true},\(compare)],
                 "success":[{"op":"delete","key":"a"},{"op":"put","key":"b","value":"\(b64("x"))"}],
                 "failure":[{"op":"get","key":"a"},{"op":"put","key":"a","value":"","ttl":"1h"}]}
                """)
            #expect(answer.status == .ok, "\(answer.body)")
            let body = try jsonObject(answer.body)
            #expect(body["succeeded"] as? Bool == false)
            #expect(body["revision"] as? Int == 4)
            let results = try #require(body["results"] as? [[String: Any]])
            #expect(results.count == 2)
            #expect(results.first?["op"] as? String == "get")
            #expect(results.first?["value"] as? String == b64("two"))
            #expect(results.last?["op"] as? String == "put")
            #expect(results.last?["created"] as? Bool == false)
            #expect(results.last?["version"] as? Int == 3)
            #expect(results.last?["mod_revision"] as? Int == 4)
            #expect(results.last?["expires_at"] is String)
            try await client.execute(uri: "/api/v1/kv/a", method: .get) {
                #expect($0.status == .ok)
                #expect($0.body.readableBytes == 0)
            }
            try await client.execute(uri: "/api/v1/kv/b", method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test func aReadOnlyOrEmptyTransactionTakesNoRevision() async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.router) { client in
            #expect(try await txn(client, "{}").body == #"{"results":[],"revision":0,"succeeded":true}"# + "\n")
            try await txn(client, Self.setUp[0])
            let answer = try await txn(client, #"{"compare":[],"success":[{"op":"get","key":"a"}],"failure":[]}"#)
            #expect(answer.body == #"{"results":[{"create_revision":1,"found":true,"key":"a","mod_revision":1,"op":"get","value":"\#(b64("one"))","version":1}],"revision":1,"succeeded":true}"# + "\n")
        }
    }

    @Test func aPutWithATTLStoresTheExpiry() async throws {
        let folder = TemporaryFolder()
        let parts = try buildServer(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await parts.application.test(.router) { client in
            let before = Date()
            let answer = try await txn(client, #"{"success":[{"op":"put","key":"t","value":"\#(b64("v"))","ttl":"30s"},{"op":"get","key":"t"}]}"#)
            let after = Date()
            #expect(answer.status == .ok)
            let record = try #require(try await parts.store.record(forKey: "t"))
            let expiresAt = try #require(record.expiresAt)
            #expect(expiresAt >= before.addingTimeInterval(29.999) && expiresAt <= after.addingTimeInterval(30.001))
            let results = try #require(try jsonObject(answer.body)["results"] as? [[String: Any]])
            let formatted = SnapshotTime.format(expiresAt)
            #expect(results.map { $0["expires_at"] as? String } == [formatted, formatted])
            // A put without ttl clears it.
            try await txn(client, #"{"success":[{"op":"put","key":"t","value":"\#(b64("w"))"}]}"#)
            #expect(try await parts.store.record(forKey: "t")?.expiresAt == nil)
        }
    }

    /// A value over `storage.max_value_bytes` anywhere in the branch: 413, and nothing of the branch applied.
    @Test func aTooLargeValueAppliesNothing() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) { $0.storage.maxValueBytes = 1000 }
        let app = try await buildApplication(configuration: configuration, logger: testLogger())
        try await app.test(.router) { client in
            let big = Data(repeating: 7, count: 1001).base64EncodedString()
            let answer = try await txn(client, """
                {"success":[{"op":"put","key":"small","value":"\(b64("s"))"},{"op":"delete","key":"other"},{"op":"put","key":"big","value":"\(big)"}]}
                """)
            #expect(answer.status == .contentTooLarge)
            #expect(errorCodeAndMessage(answer.body).code == "value_too_large")
            try await client.execute(uri: "/api/v1/kv/small", method: .get) { #expect($0.status == .notFound) }
            #expect(try await txn(client, "{}").body.contains("\"revision\":0"))
        }
    }

    /// At `storage.quota_bytes`: 507 quota_exceeded, while get-only and delete transactions still run.
    @Test func aTransactionPastTheQuotaIs507() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) {
            $0.storage.quotaBytes = 1 << 20
            $0.storage.maxValueBytes = 64 << 10
        }
        let app = try await buildApplication(configuration: configuration, logger: testLogger())
        try await app.test(.router) { client in
            let value = Data(repeating: 7, count: 60 << 10).base64EncodedString()
            var answer = try await txn(client, #"{"success":[{"op":"put","key":"k0","value":"\#(value)"}]}"#)
            var index = 1
            while answer.status == .ok && index < 100 {
                answer = try await txn(client, #"{"success":[{"op":"put","key":"k\#(index)","value":"\#(value)"}]}"#)
                index += 1
            }
            #expect(answer.status.code == 507)
            #expect(errorCodeAndMessage(answer.body).code == "quota_exceeded")
            #expect(try await txn(client, #"{"success":[{"op":"get","key":"k0"}]}"#).status == .ok)
            #expect(try await txn(client, #"{"success":[{"op":"delete","key":"k0"}]}"#).status == .ok)
        }
    }

    @Test(arguments: [
        ("{", "invalid_txn", "not valid JSON"),
        ("", "invalid_txn", "not valid JSON"),
        ("[]", "invalid_txn", "must be a JSON object"),
        (#"{"compare":[],"extra":1}"#, "invalid_txn", "extra: unknown field"),
        (#"{"compare":{}}"#, "invalid_txn", "compare: must be a list"),
        (#"{"compare":[{"key":"a","mod_revision":1,"mod":2}]}"#, "invalid_txn", "compare[0].mod: unknown field"),
        (#"{"compare":[{"key":"a","mod_revision":1,"version":1}]}"#, "invalid_txn", "compare[0]: needs exactly one of"),
        (#"{"compare":[{"key":"a"}]}"#, "invalid_txn", "compare[0]: needs exactly one of"),
        (#"{"compare":[{"mod_revision":1}]}"#, "invalid_txn", "compare[0].key: missing"),
        (#"{"compare":[{"key":"a","mod_revision":"1"}]}"#, "invalid_txn", "compare[0].mod_revision: must be an integer"),
        (#"{"compare":[{"key":"a","version":-1}]}"#, "invalid_txn", "compare[0].version: must be an integer"),
        (#"{"compare":[{"key":"a","create_revision":1.5}]}"#, "invalid_txn", "compare[0].create_revision: must be an integer"),
        (#"{"compare":[{"key":"a","exists":null}]}"#, "invalid_txn", "compare[0].exists: must be true or false"),
        (#"{"compare":[{"key":"a","value":"a"}]}"#, "invalid_txn", "compare[0].value: not valid base64"),
        (#"{"success":[{"op":"get","key":"a"},{"op":"get","key":"b"},{"op":"put","key":"c","value":"!!!!"}]}"#, "invalid_txn", "success[2].value: not valid base64"),
        (#"{"success":[{"op":"put","key":"c","value":"YR=="}]}"#, "invalid_txn", "success[0].value: not valid base64"),
        (#"{"success":[{"op":"put","key":"c"}]}"#, "invalid_txn", "success[0].value: missing"),
        (#"{"success":[{"op":"put","key":"c","value":"","ttl":"soon"}]}"#, "invalid_txn", "success[0].ttl: ttl must be a duration from 1s to 3650d"),
        (#"{"success":[{"op":"put","key":"c","value":"","ttl":"0s"}]}"#, "invalid_txn", "success[0].ttl: ttl must be a duration from 1s to 3650d"),
        (#"{"success":[{"op":"put","key":"c","value":"","ttl":30}]}"#, "invalid_txn", "success[0].ttl: ttl must be a duration from 1s to 3650d"),
        (#"{"success":[{"op":"put","key":"c","value":"","ttl":"1000000w"}]}"#, "invalid_txn", "success[0].ttl: ttl must be a duration from 1s to 3650d"),
        (#"{"failure":[{"op":"get","key":"c","value":""}]}"#, "invalid_txn", "failure[0].value: unknown field for a get"),
        (#"{"failure":[{"op":"copy","key":"c"}]}"#, "invalid_txn", "failure[0].op: must be get, put or delete"),
        (#"{"failure":[{"key":"c"}]}"#, "invalid_txn", "failure[0].op: missing"),
        (#"{"failure":["get"]}"#, "invalid_txn", "failure[0]: must be an object"),
        (#"{"failure":[{"op":"delete","key":""}]}"#, "invalid_key", "failure[0].key: key must not be empty"),
        (#"{"compare":[{"key":"..","exists":true}]}"#, "invalid_key", "compare[0].key:"),
        (#"{"success":[{"op":"get","key":"a\u0001"}]}"#, "invalid_key", "success[0].key: key contains a control character"),
        (#"{"success":[{"op":"get","key":7}]}"#, "invalid_txn", "success[0].key: must be a string"),
        (#"{"compare":[{"key":"a","exists":true},{"key":"b","exists":true}],"success":[{"op":"get","key":"a"}],"failure":[{"op":"get","key":"a"},{"op":"get","key":"b"}]}"#,
         "too_many_operations", "the transaction has 5 compares and operations; the limit is 4 (kv.txn.max_operations)"),
    ])
    func malformedTransactionsAre400(body: String, code: String, message: String) async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) { $0.kv.maxTransactionOperations = 4 }
        let app = try await buildApplication(configuration: configuration, logger: testLogger())
        try await app.test(.router) { client in
            let answer = try await txn(client, body)
            #expect(answer.status == .badRequest, "\(body): \(answer.body)")
            let error = errorCodeAndMessage(answer.body)
            #expect(error.code == code, "\(body)")
            #expect(error.message?.contains(message) == true, "\(body): \(error.message ?? "")")
            // Nothing was applied.
            #expect(try await txn(client, "{}").body.contains("\"revision\":0"))
        }
    }

    @Test func atTheOperationLimitIsAccepted() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) { $0.kv.maxTransactionOperations = 4 }
        let app = try await buildApplication(configuration: configuration, logger: testLogger())
        try await app.test(.router) { client in
            let answer = try await txn(client, #"{"compare":[{"key":"a","exists":false}],"success":[{"op":"get","key":"a"},{"op":"get","key":"b"}],"failure":[{"op":"get","key":"a"}]}"#)
            #expect(answer.status == .ok)
        }
    }

    /// Over `kv.txn.max_bytes`: 413 from the declared length, and from the bytes read when the length is not declared.
    @Test func aBodyOverTheByteLimitIs413() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) { $0.kv.maxTransactionBytes = 1024 }
        let parts = try buildServer(configuration: configuration, logger: testLogger())
        let value = Data(repeating: 1, count: 900).base64EncodedString()
        let body = #"{"success":[{"op":"put","key":"k","value":"\#(value)"}]}"#
        #expect(body.utf8.count > 1024)
        try await parts.application.test(.router) { client in
            let answer = try await txn(client, body)
            #expect(answer.status == .contentTooLarge)
            #expect(errorCodeAndMessage(answer.body).code == "txn_too_large")
            let declared = try await txn(client, body, headers: [.contentLength: String(body.utf8.count)])
            #expect(declared.status == .contentTooLarge)
            #expect(errorCodeAndMessage(declared.body).message == "the transaction body is \(body.utf8.count) bytes; the limit is 1024 bytes (kv.txn.max_bytes)")
        }
        // A second server: the first one's services (the store among them) stop with its test.
        let liveFolder = TemporaryFolder()
        let live = try buildServer(configuration: testConfiguration(folder: liveFolder) { $0.kv.maxTransactionBytes = 1024 }, logger: testLogger())
        try await live.application.test(.live) { client in
            let port = try #require(client.port)
            // Declared length.
            let declared = await rawTxn(port: port, body)
            #expect(declared.status == 413)
            #expect(errorCodeAndMessage(declared.body).code == "txn_too_large")
            // Chunked: no length to check first; refused once the bytes read pass the limit.
            let half = body.utf8.count / 2
            let chunks = [String(body.prefix(half)), String(body.dropFirst(half))]
            var request = "POST /api/v1/txn HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            for chunk in chunks { request += String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n" }
            request += "0\r\n\r\n"
            let chunked = parseRawAnswer(await rawExchange(port: port, Array(request.utf8)))
            #expect(chunked.status == 413, "\(chunked.body)")
            #expect(errorCodeAndMessage(chunked.body).code == "txn_too_large")
            // Under the limit, the same way: accepted.
            let small = #"{"success":[{"op":"put","key":"k","value":"\#(b64("v"))"}]}"#
            var smallRequest = "POST /api/v1/txn HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            smallRequest += String(small.utf8.count, radix: 16) + "\r\n" + small + "\r\n0\r\n\r\n"
            let accepted = parseRawAnswer(await rawExchange(port: port, Array(smallRequest.utf8)))
            #expect(accepted.status == 200, "\(accepted.body)")
        }
    }

    /// With tokens: the route needs read; a put or delete in either branch needs write, refused
    /// exactly as the access middleware refuses a too-weak token.
    @Test func aTransactionThatWritesNeedsAWriteToken() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) { $0.security.tokens = TestSecrets.tokens }
        let app = try await buildApplication(configuration: configuration, logger: testLogger())
        let read: HTTPFields = [.authorization: "Bearer \(TestSecrets.read)"]
        let write: HTTPFields = [.authorization: "Bearer \(TestSecrets.write)"]
        let getOnly = #"{"compare":[{"key":"k","exists":true}],"success":[{"op":"get","key":"k"}],"failure":[{"op":"get","key":"k"}]}"#
        let putInSuccess = #"{"success":[{"op":"put","key":"k","value":"\#(b64("v"))"}]}"#
        let deleteInFailure = #"{"compare":[{"key":"k","exists":true}],"success":[{"op":"get","key":"k"}],"failure":[{"op":"delete","key":"k"}]}"#
        try await app.test(.router) { client in
            #expect(try await txn(client, getOnly).status == .unauthorized)
            #expect(try await txn(client, getOnly, headers: read).status == .ok)
            for body in [putInSuccess, deleteInFailure] {
                let refused = try await txn(client, body, headers: read)
                #expect(refused.status == .forbidden)
                let error = errorCodeAndMessage(refused.body)
                #expect(error.code == "forbidden")
                #expect(error.message == "this token's role (read) does not allow POST on this route with a put or delete; it needs write")
                #expect(refused.headers[.wwwAuthenticate] == "Bearer realm=\"kvstore\", error=\"insufficient_scope\"")
            }
            // The same shape as the middleware's own refusal of a read token.
            try await client.execute(uri: "/api/v1/kv/k", method: .put, headers: read, body: ByteBuffer(string: "v")) { response in
                #expect(response.status == .forbidden)
                #expect(errorCode(response.body) == "forbidden")
                #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"kvstore\", error=\"insufficient_scope\"")
            }
            try await client.execute(uri: "/api/v1/kv/k", method: .get, headers: read) { #expect($0.status == .notFound) }
            #expect(try await txn(client, putInSuccess, headers: write).status == .ok)
            #expect(try await txn(client, deleteInFailure, headers: write).status == .ok)
            let admin: HTTPFields = [.authorization: "Bearer \(TestSecrets.admin)"]
            #expect(try await txn(client, putInSuccess, headers: admin).status == .ok)
        }
    }

    @Test func theHistogramAndTheCounterCountCommittedTransactions() async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.router) { client in
            try await txn(client, #"{"success":[{"op":"put","key":"a","value":""}]}"#)  // 1, succeeded
            try await txn(client, #"{"compare":[{"key":"a","exists":false}],"success":[{"op":"get","key":"a"}],"failure":[{"op":"get","key":"a"}]}"#)  // 3, failed
            try await txn(client, #"{"compare":[{"key":"a","exists":true}],"success":[{"op":"get","key":"a"},{"op":"get","key":"b"},{"op":"delete","key":"a"}],"failure":[{"op":"get","key":"a"}]}"#)  // 5, succeeded
            try await txn(client, "{")  // refused: not counted
            let text = try await client.execute(uri: "/api/v1/metrics", method: .get) { $0.body.string }
            let samples = parseExposition(text)
            #expect(samples["kvstore_txn_total{result=\"succeeded\"}"] == 2)
            #expect(samples["kvstore_txn_total{result=\"failed\"}"] == 1)
            #expect(samples["kvstore_txn_operations_count"] == 3)
            #expect(samples["kvstore_txn_operations_sum"] == 9)
            #expect(samples["kvstore_txn_operations_bucket{le=\"1\"}"] == 1)
            #expect(samples["kvstore_txn_operations_bucket{le=\"2\"}"] == 1)
            #expect(samples["kvstore_txn_operations_bucket{le=\"4\"}"] == 2)
            #expect(samples["kvstore_txn_operations_bucket{le=\"8\"}"] == 3)
            #expect(samples["kvstore_txn_operations_bucket{le=\"16384\"}"] == 3)
            #expect(samples["kvstore_txn_operations_bucket{le=\"+Inf\"}"] == 3)
            #expect(text.contains("# TYPE kvstore_txn_operations histogram"))
            #expect(text.contains("# TYPE kvstore_txn_total counter"))
        }
    }

    /// One client moves a token between `left` and `right` with compare+put+delete transactions
    /// while another reads both keys in get-only transactions: every read sees exactly one holder.
    @Test func aMoveBetweenTwoKeysIsNeverSeenHalfDone() async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let token = b64("token")
            let start = await rawTxn(port: port, #"{"success":[{"op":"put","key":"left","value":"\#(token)"}]}"#)
            #expect(start.status == 200)
            let moved = Flag()
            let mover = Task {
                defer { moved.set() }
                var holder = ("left", "right")
                var failures: [String] = []
                for _ in 0..<50 {
                    let (from, to) = holder
                    let answer = await rawTxn(port: port, """
                        {"compare":[{"key":"\(from)","value":"\(token)"},{"key":"\(to)","exists":false}],
                         "success":[{"op":"put","key":"\(to)","value":"\(token)"},{"op":"delete","key":"\(from)"}]}
                        """)
                    if answer.status != 200 || !answer.body.contains("\"succeeded\":true") { failures.append(answer.body) }
                    holder = (to, from)
                }
                return failures
            }
            let reader = Task {
                var reads = 0
                var bad: [String] = []
                var last = false
                while !last {
                    last = moved.isSet
                    let answer = await rawTxn(port: port, #"{"success":[{"op":"get","key":"left"},{"op":"get","key":"right"}]}"#)
                    let results = (try? jsonObject(answer.body))?["results"] as? [[String: Any]] ?? []
                    let holders = results.filter { $0["found"] as? Bool == true && $0["value"] as? String == token }.count
                    if answer.status != 200 || results.count != 2 || holders != 1 { bad.append(answer.body) }
                    reads += 1
                }
                return (reads, bad)
            }
            let failures = await mover.value
            let (reads, bad) = await reader.value
            #expect(failures.isEmpty, "\(failures)")
            #expect(bad.isEmpty, "\(bad)")
            #expect(reads >= 1)
            // An even number of moves: back on the left.
            let end = await rawTxn(port: port, #"{"success":[{"op":"get","key":"left"},{"op":"get","key":"right"}]}"#)
            let results = try #require(try jsonObject(end.body)["results"] as? [[String: Any]])
            #expect(results.map { $0["found"] as? Bool } == [true, false])
            // Re-created by the last move (revision 51: one for the first put, one per move), so version 1.
            #expect(results.first?["mod_revision"] as? Int == 51)
            #expect(results.first?["create_revision"] as? Int == 51)
            #expect(results.first?["version"] as? Int == 1)
        }
    }
}
