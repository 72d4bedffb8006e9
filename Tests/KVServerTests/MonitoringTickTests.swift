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

/// The monitoring loop: ticks on the injected clock evaluate the alerts and write the snapshot;
/// `POST /api/v1/snapshots` does neither more nor less than write one.
@Suite struct MonitoringTickTests {
    /// A server whose critical `upstream` check fails (nothing listens on port 9) and whose rule
    /// fires on the first evaluation that sees it.
    func configuration(_ folder: TemporaryFolder) -> KVStoreConfiguration {
        testConfiguration(folder: folder) {
            $0.health.failureThreshold = 1
            $0.health.dependencies = [.init(name: "upstream", url: "http://127.0.0.1:9/", critical: true, timeoutSeconds: 30)]
            $0.snapshots.intervalSeconds = 10
            $0.snapshots.compress = false
            $0.alerts.rules = [.init(name: "UpstreamDown", kind: .criticalCheck, severity: "critical", forSeconds: 0,
                                     summary: "a critical check is failing", description: "upstream is down")]
        }
    }

    func alertNames(_ client: some TestClientProtocol) async throws -> [String] {
        try await client.execute(uri: "/api/v1/alerts", method: .get) { response in
            (try json(response.body)["alerts"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        }
    }

    @Test func ticksFollowTheClockAndATakenSnapshotDoesNotMoveTheAlerts() async throws {
        let folder = TemporaryFolder()
        let clock = ManualClock()
        let parts = try buildServer(configuration: configuration(folder), logger: testLogger(), clock: clock)
        await parts.monitor.runAllOnce()
        #expect(parts.monitor.report().checks["upstream"]?.status == .unhealthy)
        let archive = parts.routes.archive
        try await parts.application.test(.router) { client in
            // Taken on demand: written with the alerts as they stand (none evaluated yet), and evaluating none.
            try await client.execute(uri: "/api/v1/snapshots", method: .post) { #expect($0.status == .created) }
            let taken = try #require(try archive.latest())
            #expect(taken.snapshot.alerts.isEmpty)
            #expect(try await alertNames(client) == [])
            #expect(try archive.list().count == 1)

            // One interval of the clock: one tick, which evaluates the rule and writes what it found.
            #expect(await eventually { clock.deadlines.contains(.seconds(10)) })
            clock.advance(by: .seconds(10))
            #expect(await eventually { (try? archive.list().count) == 2 })
            let ticked = try #require(try archive.latest())
            #expect(ticked.snapshot.alerts.map(\.name) == ["UpstreamDown"])
            #expect(ticked.snapshot.alerts.first?.state == .firing)
            #expect(try await alertNames(client) == ["UpstreamDown"])
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aTakenSnapshotDoesNotWaitForItsListeners() async throws {
        let folder = TemporaryFolder()
        let parts = try buildServer(configuration: configuration(folder), logger: testLogger(), clock: ManualClock())
        let service = try #require(parts.snapshots)
        let listenerBusy = Gate()
        let shown = Counter()
        service.addListener { _ in
            await listenerBusy.wait()
            shown.increment()
        }
        try await parts.application.test(.router) { client in
            // The listener is stuck; the request is answered anyway (before the fix it hung here).
            try await client.execute(uri: "/api/v1/snapshots", method: .post) { #expect($0.status == .created) }
            try await client.execute(uri: "/api/v1/snapshots", method: .post) { #expect($0.status == .created) }
            #expect(await eventually { listenerBusy.arrived == 1 })
            #expect(shown.value == 0)
            listenerBusy.open()
            // Both reach the listener, in order, once it is free.
            #expect(await eventually { shown.value == 2 })
        }
    }
}

/// Counts calls from any task.
private final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() { count.withLock { $0 += 1 } }
}
