import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KVConfiguration
import Testing
import KVTestSupport
@testable import KVServer

/// Live tests over sockets: the request deadline, the connection cap, TLS.
@Suite(.serialized) struct SecurityTransportTests {
    /// Generous: the machine may be loaded; no test waits this long unless something is wrong.
    static let patience: Double = 30

    /// A 1 s request deadline and an idle timeout far beyond every wait below, so that only the deadline
    /// (or the cap) can close a connection while a test runs.
    static func limitedConfiguration(folder: TemporaryFolder, maxConnections: Int = 64) -> KVStoreConfiguration {
        testConfiguration(folder: folder) {
            $0.security.requestTimeoutSeconds = 1
            $0.security.idleTimeoutSeconds = 600
            $0.security.maxConnections = maxConnections
        }
    }

    /// What a trickling client saw: whether the server closed the connection, and what it sent before.
    struct Trickled: Sendable {
        let closed: Bool
        let received: String
    }

    /// Sends `prefix` at once, then `trickle` one byte every 100 ms, until the server closes the connection
    /// or `patience` seconds pass. `trickle` is longer than that, so the request never arrives completely.
    static func trickle(port: Int, prefix: String, trickle: String) async -> Trickled {
        await onThread {
            guard let connection = try? RawConnection(port: port) else { return Trickled(closed: false, received: "connect failed") }
            let deadline = Date().addingTimeInterval(Self.patience)
            connection.send(Array(prefix.utf8))
            var bytes = Array(trickle.utf8)[...]
            var received: [UInt8] = []
            while Date() < deadline {
                if let byte = bytes.popFirst() { connection.send([byte]) }
                let (answer, closed) = connection.readUntilClosed(timeout: 0.1)
                received += answer
                if closed { return Trickled(closed: true, received: String(decoding: received, as: UTF8.self)) }
            }
            return Trickled(closed: false, received: String(decoding: received, as: UTF8.self))
        }
    }

    /// The server's own count of connections its request deadline closed.
    static func timedOutConnections(_ client: some TestClientProtocol) async throws -> Int? {
        let scrape = try await client.execute(uri: "/api/v1/metrics", method: .get).body.string
        let prefix = "kvstore_http_connections_timed_out_total{listener=\"api\"} "
        guard let line = scrape.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return nil }
        return Double(line.dropFirst(prefix.count)).map { Int($0) }
    }

    @Test func trickledHeadersAndBodiesAreCutAtTheDeadline() async throws {
        let folder = TemporaryFolder()
        let server = try buildServer(configuration: Self.limitedConfiguration(folder: folder), logger: testLogger())
        try await server.application.test(.live) { client in
            let port = try #require(client.port)
            #expect(try await Self.timedOutConnections(client) == 0)
            let finished = FinishedCount()
            // Headers that never end, and a body far longer than what is sent before `patience`.
            async let headers = { () async -> Trickled in
                let result = await Self.trickle(
                    port: port, prefix: "GET /api/v1/ping HTTP/1.1\r\n", trickle: String(repeating: "X-Slow: aaaaaaaa\r\n", count: 400))
                finished.add()
                return result
            }()
            async let body = { () async -> Trickled in
                let result = await Self.trickle(
                    port: port, prefix: "PUT /api/v1/kv/slow HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n",
                    trickle: String(repeating: "b", count: 1000))
                finished.add()
                return result
            }()
            // Meanwhile a normal client keeps getting answers.
            var answered = 0
            while finished.value < 2 {
                try await client.execute(uri: "/api/v1/ping", method: .get) { #expect($0.status == .ok) }
                answered += 1
            }
            let (cutHeaders, cutBody) = await (headers, body)
            #expect(answered > 0)
            #expect(cutHeaders.closed, "trickled headers were not cut")
            #expect(cutBody.closed, "a trickled body was not cut")
            // Cut without an answer (the idle timeout is far away, so it was the request deadline) ...
            #expect(cutHeaders.received == "")
            #expect(cutBody.received == "")
            // ... as the server counts it; the slow PUT never reached the store.
            #expect(try await Self.timedOutConnections(client) == 2)
            try await client.execute(uri: "/api/v1/kv/slow", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/v1/ping", method: .get) { #expect($0.status == .ok, "still serving") }
        }
    }

    @Test func aCompleteRequestIsNotCutWhileIdleOrAnswered() async throws {
        let folder = TemporaryFolder()
        let server = try buildServer(configuration: Self.limitedConfiguration(folder: folder), logger: testLogger())
        try await server.application.test(.live) { client in
            let port = try #require(client.port)
            let (answers, canaryCut) = await onThread { () -> ([String], Bool) in
                guard let connection = try? RawConnection(port: port) else { return ([], false) }
                var answers: [String] = []
                var canaryCut = false
                for round in 0..<2 {
                    connection.send(Array("GET /api/v1/ping HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
                    var received: [UInt8] = []
                    let deadline = Date().addingTimeInterval(Self.patience)
                    while !String(decoding: received, as: UTF8.self).hasSuffix("pong\n"), Date() < deadline {
                        let (bytes, closed) = connection.readUntilClosed(timeout: 0.05)
                        received += bytes
                        if closed { break }
                    }
                    answers.append(String(decoding: received, as: UTF8.self))
                    guard round == 0 else { break }
                    // Stay idle for longer than the request deadline: until a request started after this
                    // answer (an unfinished head on another connection) has been cut by that deadline.
                    guard let canary = try? RawConnection(port: port) else { return (answers, false) }
                    canary.send(Array("GET /api/v1/ping HTTP/1.1\r\n".utf8))
                    canaryCut = canary.readUntilClosed(timeout: Self.patience).closed
                }
                return (answers, canaryCut)
            }
            #expect(canaryCut, "the unfinished request was cut by the deadline")
            #expect(answers.count == 2)
            #expect(answers.allSatisfy { $0.hasPrefix("HTTP/1.1 200") && $0.hasSuffix("pong\n") }, "\(answers)")
            #expect(try await Self.timedOutConnections(client) == 1, "only the unfinished request timed out")
        }
    }

    /// The connection's one deadline timer, armed by its first request, fires while the second is still
    /// arriving: it must wait for the second's own deadline rather than cut it.
    @Test func aKeepAliveRequestGetsItsOwnFullDeadline() async throws {
        let folder = TemporaryFolder()
        let configuration = testConfiguration(folder: folder) {
            $0.security.requestTimeoutSeconds = 2
            $0.security.idleTimeoutSeconds = 600
        }
        let server = try buildServer(configuration: configuration, logger: testLogger())
        try await server.application.test(.live) { client in
            let port = try #require(client.port)
            let answers = await onThread { () -> [String] in
                guard let connection = try? RawConnection(port: port) else { return [] }
                let start = Date()
                var closed = false
                func wait(until seconds: Double) {
                    while !closed, Date().timeIntervalSince(start) < seconds { closed = connection.readUntilClosed(timeout: 0.05).closed }
                }
                func answer() -> String {
                    var received: [UInt8] = []
                    let deadline = Date().addingTimeInterval(Self.patience)
                    while !closed, !String(decoding: received, as: UTF8.self).hasSuffix("pong\n"), Date() < deadline {
                        let (bytes, isClosed) = connection.readUntilClosed(timeout: 0.05)
                        received += bytes
                        closed = isClosed
                    }
                    return String(decoding: received, as: UTF8.self)
                }
                connection.send(Array("GET /api/v1/ping HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
                var answers = [answer()]
                // The second request starts at 1 s (its deadline is at 3 s) and ends at 2.2 s, after the
                // timer the first one armed (due at 2 s) has fired.
                wait(until: 1.0)
                connection.send(Array("GET /api/v1/ping HTTP/1.1\r\n".utf8))
                wait(until: 2.2)
                connection.send(Array("Host: localhost\r\n\r\n".utf8))
                answers.append(answer())
                return answers
            }
            #expect(answers.count == 2)
            #expect(answers.allSatisfy { $0.hasPrefix("HTTP/1.1 200") && $0.hasSuffix("pong\n") }, "\(answers)")
            #expect(try await Self.timedOutConnections(client) == 0)
        }
    }

    @Test func connectionsOverTheCapGet503AndSlotsAreReused() async throws {
        let folder = TemporaryFolder()
        let server = try buildServer(configuration: Self.limitedConfiguration(folder: folder, maxConnections: 4), logger: testLogger())
        try await server.application.test(.live) { client in
            let port = try #require(client.port)
            // The test client's own connection takes one of the four slots.
            try await client.execute(uri: "/api/v1/ping", method: .get) { #expect($0.status == .ok) }
            let (admitted, over, after) = await onThread { () -> (Int, String, String) in
                // Three more connections that each got an answer: the server has admitted them and holds their slots.
                var held: [RawConnection] = []
                for _ in 0..<3 {
                    guard let connection = try? RawConnection(port: port) else { continue }
                    connection.send(Array("GET /api/v1/ping HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
                    var received: [UInt8] = []
                    let deadline = Date().addingTimeInterval(Self.patience)
                    while !String(decoding: received, as: UTF8.self).hasSuffix("pong\n"), Date() < deadline {
                        let (bytes, closed) = connection.readUntilClosed(timeout: 0.05)
                        received += bytes
                        if closed { break }
                    }
                    if String(decoding: received, as: UTF8.self).hasPrefix("HTTP/1.1 200") { held.append(connection) }
                }
                let admitted = held.count
                guard let extra = try? RawConnection(port: port) else { return (admitted, "connect failed", "") }
                extra.send(Array("GET /api/v1/ping HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
                let (bytes, _) = extra.readUntilClosed(timeout: Self.patience)
                held.removeAll()
                // Slots come back once the server has seen the closes: poll until a request is answered.
                var answer = ""
                let deadline = Date().addingTimeInterval(Self.patience)
                while !answer.hasPrefix("HTTP/1.1 200"), Date() < deadline {
                    guard let again = try? RawConnection(port: port) else { continue }
                    again.send(Array("GET /api/v1/ping HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8))
                    answer = String(decoding: again.readUntilClosed(timeout: Self.patience).bytes, as: UTF8.self)
                }
                return (admitted, String(decoding: bytes, as: UTF8.self), answer)
            }
            #expect(admitted == 3)
            #expect(over.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
            #expect(over.contains("\"code\":\"too_many_connections\""))
            #expect(over.contains("X-Content-Type-Options: nosniff"))
            #expect(after.hasPrefix("HTTP/1.1 200"))
            try await client.execute(uri: "/api/v1/ping", method: .get) { #expect($0.status == .ok, "the first slot was kept") }
        }
    }

    @Test func httpsServesAndPlainHTTPToTheTLSPortFailsCleanly() async throws {
        let folder = TemporaryFolder()
        let certificate = folder.path + "/cert.pem"
        let key = folder.path + "/key.pem"
        guard let openssl = ["/usr/bin/openssl", "/bin/openssl", "/usr/local/bin/openssl"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            return  // no openssl here: scripts/check-tls.sh covers TLS where it is installed
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let configuration = testConfiguration(folder: folder) {
            $0.security.tlsCertificateFile = certificate
            $0.security.tlsKeyFile = key
        }
        let server = try buildServer(configuration: configuration, logger: testLogger())
        #expect(server.routes.security.scheme == "https")
        #expect(server.routes.security.tlsConfiguration?.minimumTLSVersion == .tlsv12)
        try await server.application.test(.ahc(.https)) { client in
            try await client.execute(uri: "/api/v1/ping", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.body.string == "pong\n")
            }
            let port = try #require(client.port)
            let (bytes, closed) = await onThread { () -> ([UInt8], Bool) in
                guard let plain = try? RawConnection(port: port) else { return ([], false) }
                plain.send(Array("GET /api/v1/ping HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
                return plain.readUntilClosed(timeout: Self.patience)
            }
            #expect(closed, "plain HTTP to the TLS port is closed, not left hanging")
            #expect(!String(decoding: bytes, as: UTF8.self).contains("pong"))
            try await client.execute(uri: "/api/v1/ping", method: .get) { #expect($0.status == .ok, "still serving") }
        }
    }
}

/// How many of the trickling clients have finished, read by the pinging loop.
final class FinishedCount: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var count = 0

    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
