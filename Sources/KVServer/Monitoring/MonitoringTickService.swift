import AsyncAlgorithms
import Foundation
import KVMonitoring
import ServiceLifecycle

/// The monitoring loop: on every `snapshots.interval_seconds` of `clock`, reads the server once,
/// evaluates the alert rules on that reading, then writes the snapshot of the same reading with
/// the alerts it left active. The snapshot's listeners (the live dashboard) run in
/// ``SnapshotService``'s own task, so a tick never waits for the page.
///
/// A tick whose moment is a whole interval or more in the past is skipped: after a stall (a
/// suspended process, a slow disk) the timer's missed ticks are dropped, not run back to back.
struct MonitoringTickService<C: Clock>: Service where C.Duration == Duration {
    let interval: Duration
    let clock: C
    let observer: ServerObserver
    let alerts: AlertEngine?
    let snapshots: SnapshotService?

    func run() async throws {
        await cancelWhenGracefulShutdown {
            // The timer's own deadlines: it sleeps until each, one interval after the one before.
            var deadline = clock.now
            for await tickTime in AsyncTimerSequence(interval: interval, clock: clock) {
                deadline = deadline.advanced(by: interval)
                if deadline.duration(to: tickTime) >= interval { continue }
                await tick(at: Date())
            }
        }
    }

    /// One tick: alerts first, then the snapshot (a failed write is counted and logged by the service).
    func tick(at time: Date) async {
        let observation = observer.observe(at: time)
        let active = alerts?.evaluate(observation).active ?? []
        _ = try? await snapshots?.write(observation, alerts: active)
    }
}
