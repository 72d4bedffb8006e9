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
    static func limitedConfiguration(folder: TemporaryFolder, maxConnections: Int = 64) -> KVStoreConfiguration {
        testConfiguration(folder: folder) {
            $0.security.requestTimeoutSeconds = 1
            $0.security.idleTimeoutSeconds = 5
            $0.security.maxConnections = maxConnections
        }
    }

    /// Sends `prefix` at once, then `trickle` one byte every 100 ms; returns the seconds until the server
    /// closed the connection (nil if it had not after `limit` seconds).
    static func trickle(port: Int, prefix: String, trickle: String, limit: Double) async -> Double? {
        await onThread {
            guard let connection = try? RawConnection(port: port) else { return nil }
            let start = Date()
            connection.send(Array(prefix.utf8))
            var bytes = Array(trickle.utf8)[...]
            while Date().timeIntervalSince(start) < limit {
                if let byte = bytes.popFirst() { connection.send([byte]) }
                let (_, closed) = connection.readUntilClosed(timeout: 0.1)
                if closed { return Date().timeIntervalSince(start) }
            }
            return nil
        }
    }

    @Test func trickledHeadersAndBodiesAreCutAtTheDeadline() async throws {
        let folder = TemporaryFolder()
        let server = try buildSecuredServer(configuration: Self.limitedConfiguration(folder: folder), logger: testLogger())
        try await server.application.test(.live) { client in
            let port = try #require(client.port)
            async let headers = Self.trickle(
                port: port, prefix: "GET /api/v1/ping HTTP/1.1\r\n", trickle: String(repeating: "X-Slow: aaaaaaaa\r\n", count: 10), limit: 4)
            async let body = Self.trickle(
                port: port, prefix: "PUT /api/v1/kv/slow HTTP/1.1\r\nHost: localhost\r\nContent-Length: 60\r\n\r\n",
                trickle: String(repeating: "b", count: 60), limit: 4)
            // Meanwhile a normal client keeps getting answers.
            for _ in 0..<20 {
                try await client.execute(uri: "/api/v1/ping", method: .get) { #expect($0.status == .ok) }
                try await Task.sleep(for: .milliseconds(40))
            }
            let (headersClosed, bodyClosed) = await (headers, body)
            let cutHeaders = try #require(headersClosed, "trickled headers were not cut")
            let cutBody = try #require(bodyClosed, "a trickled body was not cut")
            #expect(cutHeaders > 0.8 && cutHeaders < 2.5)
            #expect(cutBody > 0.8 && cutBody < 2.5)
        }
    }

    @Test func aCompleteRequestIsNotCutWhileIdleOrAnswered() async throws {
        let folder = TemporaryFolder()
        let server = try buildSecuredServer(configuration: Self.limitedConfiguration(folder: folder), logger: testLogger())
        try await server.application.test(.live) { client in
            let port = try #require(client.port)
            let answers = await onThread { () -> [String] in
                guard let connection = try? RawConnection(port: port) else { return [] }
                var answers: [String] = []
                for _ in 0..<2 {
                    connection.send(Array("GET /api/v1/ping HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
                    var received: [UInt8] = []
                    let deadline = Date().addingTimeInterval(3)
                    while !String(decoding: received, as: UTF8.self).hasSuffix("pong\n"), Date() < deadline {
                        let (bytes, closed) = connection.readUntilClosed(timeout: 0.05)
                        received += bytes
                        if closed { break }
                    }
                    answers.append(String(decoding: received, as: UTF8.self))
                    Thread.sleep(forTimeInterval: 1.5)  // longer than the request deadline, shorter than the idle timeout
                }
                return answers
            }
            #expect(answers.count == 2)
            #expect(answers.allSatisfy { $0.hasPrefix("HTTP/1.1 200") && $0.hasSuffix("pong\n") })
        }
    }

    @Test func connectionsOverTheCapGet503AndSlotsAreReused() async throws {
        let folder = TemporaryFolder()
        let server = try buildSecuredServer(configuration: Self.limitedConfiguration(folder: folder, maxConnections: 4), logger: testLogger())
        try await server.application.test(.live) { client in
            let port = try #require(client.port)
            let (over, after) = await onThread { () -> (String, String) in
                var held: [RawConnection] = []
                for _ in 0..<4 { if let connection = try? RawConnection(port: port) { held.append(connection) } }
                Thread.sleep(forTimeInterval: 0.2)
                guard let extra = try? RawConnection(port: port) else { return ("connect failed", "") }
                extra.send(Array("GET /api/v1/ping HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
                let (bytes, _) = extra.readUntilClosed(timeout: 3)
                held.removeAll()
                // Slots come back once the server has seen the closes.
                var answer = ""
                let deadline = Date().addingTimeInterval(3)
                while !answer.hasPrefix("HTTP/1.1 200"), Date() < deadline {
                    Thread.sleep(forTimeInterval: 0.1)
                    guard let again = try? RawConnection(port: port) else { continue }
                    again.send(Array("GET /api/v1/ping HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8))
                    answer = String(decoding: again.readUntilClosed(timeout: 2).bytes, as: UTF8.self)
                }
                return (String(decoding: bytes, as: UTF8.self), answer)
            }
            #expect(over.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
            #expect(over.contains("\"code\":\"too_many_connections\""))
            #expect(over.contains("X-Content-Type-Options: nosniff"))
            #expect(after.hasPrefix("HTTP/1.1 200"))
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
        let server = try buildSecuredServer(configuration: configuration, logger: testLogger())
        #expect(server.security.scheme == "https")
        #expect(server.security.tlsConfiguration?.minimumTLSVersion == .tlsv12)
        try await server.application.test(.ahc(.https)) { client in
            try await client.execute(uri: "/api/v1/ping", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.body.string == "pong\n")
            }
            let port = try #require(client.port)
            let (bytes, closed) = await onThread { () -> ([UInt8], Bool) in
                guard let plain = try? RawConnection(port: port) else { return ([], false) }
                plain.send(Array("GET /api/v1/ping HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
                return plain.readUntilClosed(timeout: 3)
            }
            #expect(closed, "plain HTTP to the TLS port is closed, not left hanging")
            #expect(!String(decoding: bytes, as: UTF8.self).contains("pong"))
            try await client.execute(uri: "/api/v1/ping", method: .get) { #expect($0.status == .ok, "still serving") }
        }
    }
}
