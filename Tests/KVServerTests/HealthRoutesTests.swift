import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KVMonitoring
import KVSnapshot
import Testing
import KVTestSupport
@testable import KVServer

@Suite struct HealthRoutesTests {
    @Test func probesPassOnceTheChecksHaveRun() async throws {
        let folder = TemporaryFolder()
        let parts = try buildServer(configuration: testConfiguration(folder: folder), logger: testLogger())
        try await parts.application.test(.router) { client in
            // The health service runs with the application; wait (bounded) for its first pass.
            #expect(try await eventually(timeout: .seconds(30)) { try await client.execute(uri: "/readyz", method: .get).status == .ok })
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.body.string == "ok")
                #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
                #expect(response.headers[.cacheControl]?.hasPrefix("max-age=") == true)
            }
            try await client.execute(uri: "/livez?verbose", method: .get) { response in
                #expect(response.status == .ok)
                // Liveness reads only: the write probe feeds readiness alone.
                #expect(response.body.string == "[+]storage_read ok\nlivez check passed\n")
            }
            try await client.execute(uri: "/readyz?verbose", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("[+]storage ok\n"))
                #expect(response.body.string.contains("[+]storage_read ok\n"))
            }
        }
    }

    @Test func fullReportHasTheSeedShape() async throws {
        let folder = TemporaryFolder()
        // Limits no host reaches, so every check is healthy on any machine.
        let configuration = testConfiguration(folder: folder) {
            $0.health.memoryLimitMB = 1 << 30
            $0.health.threadLimit = 1 << 30
            $0.health.diskMinFreeBytes = 0
        }
        let parts = try buildServer(configuration: configuration, logger: testLogger())
        await parts.monitor.runAllOnce()
        try await parts.application.test(.router) { client in
            try await client.execute(uri: "/api/v1/health", method: .get) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect(body["status"] as? String == "healthy")
                #expect(body["version"] as? String == KVStoreVersion.version)
                let checks = body["checks"] as? [String: [String: Any]] ?? [:]
                #expect(Set(checks.keys) == ["storage", "storage_read", "memory", "threads", "disk", "snapshots"])
                let storage = checks["storage"] ?? [:]
                #expect(storage["critical"] as? Bool == true)
                #expect(storage["status"] as? String == "healthy")
                #expect((storage["details"] as? [String: Any])?["operation_time_ms"] is Double)
                #expect(storage["duration_ms"] is Double)
                let summary = body["summary"] as? [String: Int]
                #expect(summary == ["total": 6, "healthy": 6, "degraded": 0, "unhealthy": 0])
                let system = body["system"] as? [String: Any] ?? [:]
                #expect((system["cpu_count"] as? Int ?? 0) >= 1)
                #expect(system["swift_version"] is String)
            }
            try await client.execute(uri: "/api/v1/health", method: .get, headers: [.accept: "application/health+json"]) { response in
                #expect(response.headers[.contentType] == "application/health+json")
                let body = try json(response.body)
                #expect(body["status"] as? String == "pass")
                #expect((body["checks"] as? [String: Any])?["storage:responseTime"] != nil)
            }
        }
    }

    @Test func refusedCriticalDependencyMakesTheServerUnhealthyButNotDead() async throws {
        let folder = TemporaryFolder()
        let deadPort = try freeLoopbackPort()
        let configuration = testConfiguration(folder: folder) {
            $0.health.failureThreshold = 1
            $0.health.dependencies = [.init(name: "upstream", url: "http://127.0.0.1:\(deadPort)/", critical: true, timeoutSeconds: 1)]
        }
        let parts = try buildServer(configuration: configuration, logger: testLogger())
        await parts.monitor.runAllOnce()
        try await parts.application.test(.router) { client in
            try await client.execute(uri: "/api/v1/health", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let body = try json(response.body)
                #expect(body["status"] as? String == "unhealthy")
                let upstream = (body["checks"] as? [String: [String: Any]])?["upstream"] ?? [:]
                #expect(upstream["status"] as? String == "unhealthy")
                #expect((upstream["message"] as? String)?.contains("connection refused") == true)
            }
            try await client.execute(uri: "/readyz?verbose", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.body.string.contains("[-]upstream failed: request failed: connection refused"))
            }
            try await client.execute(uri: "/readyz?exclude=upstream", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/livez", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
        }
    }
}

/// A loopback port with nothing listening on it (bound, read, closed).
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}
