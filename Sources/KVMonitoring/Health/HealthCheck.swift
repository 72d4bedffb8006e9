/// One health check: something the monitor runs in the background on its own interval, with
/// its own timeout, and whose latest result the probes read.
///
/// `run()` should finish well within `timeout` and should honour task cancellation; one that
/// does not is abandoned at the timeout and reported as failing, never waited on by a probe.
public protocol HealthCheck: Sendable {
    /// Unique name: a key in the report, a metric label, a probe line (`storage`, `memory`, ...).
    var name: String { get }
    /// What kind of check this is: `storage`, `memory`, `threads`, `disk`, `dependency`, ...
    var kind: String { get }
    /// A failing critical check makes the server unhealthy (and not ready); a non-critical one
    /// only degraded.
    var critical: Bool { get }
    /// Whether `/livez` looks at this check (false for external dependencies).
    var includedInLiveness: Bool { get }
    /// Time from the start of one run to the start of the next.
    var interval: Duration { get }
    /// How long a run may take before it counts as failed.
    var timeout: Duration { get }
    /// Runs the check once.
    func run() async -> HealthCheckOutcome
}
