import AsyncHTTPClient
import Foundation
import KVMonitoring
import KVSnapshot
import NIOCore
import NIOHTTP1

/// Checks an HTTP dependency from `health.dependencies`: a GET that must answer the expected
/// status within the timeout. Runs in the background; probes only read its last result.
struct HTTPDependencyCheck: HealthCheck {
    let name: String
    let url: String
    let critical: Bool
    let expectedStatus: Int
    let interval: Duration
    let timeout: Duration
    var kind: String { "dependency" }
    /// Liveness never depends on other services.
    var includedInLiveness: Bool { false }
    let client: HTTPClient

    func run() async -> HealthCheckOutcome {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        // A new span of a new trace per run: the dependency can follow it in its own logs.
        let trace = TraceContext()
        request.headers.add(name: "traceparent", value: trace.outgoingTraceparent)
        request.headers.add(name: "User-Agent", value: "kvstore/\(KVStoreVersion.version) health-check")
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        let start = ContinuousClock.now
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(seconds * 1000)))
            _ = try? await response.body.collect(upTo: 64 << 10)
            let elapsed = ContinuousClock.now - start
            let details: [String: HealthDetailValue] = [
                "url": .string(url), "status_code": .number(Double(response.status.code)),
                "expected_status": .number(Double(expectedStatus)), "response_time_ms": .number(elapsed.milliseconds),
                "trace_id": .string(trace.traceID),
            ]
            if Int(response.status.code) == expectedStatus {
                return HealthCheckOutcome(status: .healthy, message: "GET answered \(response.status.code)", details: details)
            }
            return HealthCheckOutcome(
                status: .unhealthy, message: "GET answered \(response.status.code), expected \(expectedStatus)", details: details)
        } catch {
            let elapsed = ContinuousClock.now - start
            let message = elapsed >= timeout || "\(error)".contains("deadline") || "\(error)".contains("imeout")
                ? "timeout after \(Self.format(seconds))s" : "request failed: \(Self.describe(error))"
            return HealthCheckOutcome(
                status: .unhealthy, message: message,
                details: ["url": .string(url), "response_time_ms": .number(elapsed.milliseconds), "trace_id": .string(trace.traceID)])
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return text.count > 200 ? String(text.prefix(200)) : text
    }
}

extension Duration {
    var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}
