import Foundation
import KVMonitoring
import KVSnapshot

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

    func run() async -> HealthCheckOutcome {
        // A new trace per run, passed on, so the dependency can find this call in its own logs.
        let trace = TraceContext()
        let headers = [("traceparent", trace.outgoingTraceparent), ("User-Agent", "kvstore/\(KVStoreVersion.version) health-check")]
        let start = ContinuousClock.now
        var details: [String: HealthDetailValue] = ["url": .string(url), "trace_id": .string(trace.traceID)]
        do {
            // A little under the monitor's own timeout, so this run reports first and the next
            // scheduled run never finds it still in progress.
            let code = try await TinyHTTPClient.status(of: url, timeout: timeout.seconds * 0.95, headers: headers)
            details["status_code"] = .number(Double(code))
            details["expected_status"] = .number(Double(expectedStatus))
            details["response_time_ms"] = .number((ContinuousClock.now - start).seconds * 1000)
            if code == expectedStatus { return .pass("GET answered \(code)", details: details) }
            return .fail("GET answered \(code), expected \(expectedStatus)", details: details)
        } catch TinyHTTPClient.Failure.timeout {
            details["response_time_ms"] = .number((ContinuousClock.now - start).seconds * 1000)
            return .fail("timeout after \(HealthText.text(timeout))", details: details)
        } catch {
            details["response_time_ms"] = .number((ContinuousClock.now - start).seconds * 1000)
            return .fail("request failed: \(error)", details: details)
        }
    }
}
