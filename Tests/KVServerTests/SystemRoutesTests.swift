import Foundation
import KVSnapshot
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import KVTestSupport
@testable import KVServer

@Suite struct SystemRoutesTests {
    @Test func healthIsCheapAndHealthy() async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect(body["status"] as? String == "healthy")
                #expect(body["version"] as? String == KVStoreVersion.version)
                #expect(body["uptime_seconds"] is Double)
            }
        }
    }

    @Test func statsDescribeTheEngineAndCounts() async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/kv/a", method: .put, body: ByteBuffer(string: "12345"))
            try await client.execute(uri: "/api/v1/kv/a", method: .get)
            try await client.execute(uri: "/api/v1/stats", method: .get) { response in
                let body = try json(response.body)
                #expect(body["engine"] as? String == "lmdb")
                #expect(body["entries"] as? Int == 1)
                #expect(body["puts"] as? Int == 1)
                #expect(body["gets"] as? Int == 1)
                #expect(body["durability"] as? String == "always")
                #expect(body["quota_bytes"] as? Int == 8 << 30)
                #expect(body["page_size"] as? Int == Int(sysconf(Int32(_SC_PAGESIZE))))
                #expect((body["map_size_bytes"] as? Int ?? 0) > 0)
                #expect((body["bytes_on_disk"] as? Int ?? 0) > 0)
            }
        }
    }

    @Test func unknownRouteIsJSON404() async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.router) { client in
            try await client.execute(uri: "/no/such/route", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(errorCode(response.body) == "not_found")
            }
        }
    }

    @Test func saneRequestIDIsEchoedAndLoggedOnEveryLine() async throws {
        let folder = TemporaryFolder()
        let lines = CapturedLines()
        let configuration = testConfiguration(folder: folder) {
            $0.logging.databaseLog = true
            // A loaded machine can take over 500 ms: the line would then be "slow request".
            $0.logging.slowRequestMilliseconds = 60_000
        }
        let app = try await buildApplication(configuration: configuration, logger: testLogger(level: .debug, capture: lines))
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/api/v1/kv/a", method: .put,
                headers: [HTTPField.Name("X-Request-ID")!: "req-42", HTTPField.Name("traceparent")!: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"],
                body: ByteBuffer(string: "v")
            ) { response in
                #expect(response.headers[HTTPField.Name("X-Request-ID")!] == "req-42")
                #expect(response.headers[HTTPField.Name("traceparent")!]?.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-") == true)
            }
        }
        let requestLines = lines.all.filter { $0.contains("msg=request") }
        #expect(requestLines.count == 1)
        #expect(requestLines.allSatisfy { $0.contains("request_id=req-42") && $0.contains("trace_id=4bf92f3577b34da6a3ce929d0e0e4736") })
        // Hummingbird's own id is not written beside ours.
        #expect(!lines.all.contains { $0.contains("hb.request.id") })
    }

    @Test func hummingbirdsRequestIDStaysReadableButIsNotWritten() {
        let lines = CapturedLines()
        var logger = testLogger(level: .info, capture: lines)
        logger[metadataKey: "hb.request.id"] = "hb-7"
        logger[metadataKey: "other"] = "kept"
        #expect(logger[metadataKey: "hb.request.id"]?.description == "hb-7")
        logger.info("a line")
        logger[metadataKey: "hb.request.id"] = nil
        #expect(logger[metadataKey: "hb.request.id"] == nil)
        #expect(lines.all.count == 1)
        #expect(lines.all.allSatisfy { $0.contains("other=kept") && !$0.contains("hb-7") && !$0.contains("hb.request.id") })
    }

    @Test func generatedRequestIDsAreAPrefixAndACounterInHex() {
        let generator = RequestIDGenerator()
        let ids = (0..<300).map { _ in generator.next() }
        let prefix = String(ids[0].prefix(12))
        #expect(prefix.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(ids.allSatisfy { $0.hasPrefix(prefix + "-") && RequestIdentity.isSane($0) })
        #expect(ids.map { String($0.dropFirst(13)) } == (1...300).map { String($0, radix: 16) })
    }

    @Test(arguments: ["", "has space", String(repeating: "x", count: 129), "quote\"d"])
    func insaneRequestIDIsReplaced(id: String) async throws {
        let folder = TemporaryFolder()
        let app = try await buildApplication(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get, headers: [HTTPField.Name("X-Request-ID")!: id]) { response in
                let echoed = response.headers[HTTPField.Name("X-Request-ID")!]
                #expect(echoed != nil && echoed != id)
            }
        }
    }

    @Test func traceContextParsesOnlyValidHeaders() throws {
        #expect(TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")?.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(TraceContext(traceparent: "00-00000000000000000000000000000000-00f067aa0ba902b7-01") == nil)
        #expect(TraceContext(traceparent: "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01") == nil)
        #expect(TraceContext(traceparent: "garbage") == nil)
        #expect(TraceContext().traceID.count == 32)
        // Leading zeros, the caller's flags and a fresh span survive the numbers the ids are kept as.
        let padded = try #require(TraceContext(traceparent: "00-0000000000000000a3ce929d0e0e4736-0000000000000001-00"))
        #expect(padded.traceID == "0000000000000000a3ce929d0e0e4736")
        #expect(padded.parentID == "0000000000000001")
        let outgoing = padded.outgoingTraceparent.split(separator: "-").map(String.init)
        #expect(outgoing.count == 4 && outgoing[0] == "00" && outgoing[1] == padded.traceID && outgoing[3] == "00")
        #expect(outgoing[2] == padded.spanID && outgoing[2].count == 16 && outgoing[2] != "0000000000000001")
        #expect(TraceContext(traceparent: padded.outgoingTraceparent)?.traceID == padded.traceID)
        #expect("\(padded.logMetadata)" == padded.traceID, "the log line's trace_id")
    }
}
