import Foundation
import KVSnapshot
import Logging
import Testing
import KVTestSupport

@testable import KVMonitoring

@Suite struct AlertEngineTests {
    static let rules = [
        AlertRule(name: "KVStoreUnhealthy", kind: .healthStatus, severity: "critical", threshold: 2, forDuration: .seconds(30),
                  summary: "kvstore is unhealthy", description: "Overall health has been unhealthy."),
        AlertRule(name: "KVStoreCriticalCheckFailing", kind: .criticalCheck, severity: "critical", forDuration: .zero,
                  summary: "a critical health check is failing", description: "A check marked critical reports unhealthy."),
    ]

    static func observation(at seconds: Double, failing: Bool) -> AlertObservation {
        let storage = AlertFixtures.check("storage", status: failing ? .unhealthy : .healthy, critical: true)
        return AlertFixtures.observation(at: seconds, health: AlertFixtures.health(failing ? .unhealthy : .healthy, checks: [storage]))
    }

    @Test func transitionsAreReportedAndLoggedOnce() {
        let log = RecordingLogHandler()
        let engine = AlertEngine(rules: Self.rules, logger: log.logger)
        var changes: [[String]] = []
        for (tick, failing) in [false, true, true, true, true, false, false].enumerated() {
            let result = engine.evaluate(Self.observation(at: Double(tick) * 15, failing: failing))
            changes.append(result.transitions.map { "\($0.name) \($0.change.rawValue)" })
        }
        #expect(changes == [
            [],
            ["KVStoreUnhealthy pending", "KVStoreCriticalCheckFailing firing"],
            [],
            ["KVStoreUnhealthy firing"],
            [],
            ["KVStoreUnhealthy resolved", "KVStoreCriticalCheckFailing resolved"],
            [],
        ])
        #expect(log.entries == [
            .init(level: .info, message: "alert pending: kvstore is unhealthy"),
            .init(level: .notice, message: "alert firing: a critical health check is failing"),
            .init(level: .notice, message: "alert firing: kvstore is unhealthy"),
            .init(level: .info, message: "alert resolved: kvstore is unhealthy"),
            .init(level: .info, message: "alert resolved: a critical health check is failing"),
        ])
        #expect(engine.activeAlerts() == [])
    }

    @Test func activeAlertsCarryStateStartAndValue() {
        let engine = AlertEngine(rules: Self.rules)
        engine.evaluate(Self.observation(at: 0, failing: false))
        engine.evaluate(Self.observation(at: 15, failing: true))
        let (active, transitions) = engine.evaluate(Self.observation(at: 30, failing: true))
        #expect(transitions == [])
        let expected = [
            AlertSnapshot(name: "KVStoreUnhealthy", severity: "critical", state: .pending, activeSince: "2027-01-15T08:00:15.000Z", value: 2,
                          threshold: 2, summary: "kvstore is unhealthy", description: "Overall health has been unhealthy.",
                          labels: ["alertname": "KVStoreUnhealthy", "severity": "critical"]),
            AlertSnapshot(name: "KVStoreCriticalCheckFailing", severity: "critical", state: .firing, activeSince: "2027-01-15T08:00:15.000Z",
                          value: 1, threshold: 0, summary: "a critical health check is failing", description: "A check marked critical reports unhealthy.",
                          labels: ["alertname": "KVStoreCriticalCheckFailing", "severity": "critical", "check": "storage"]),
        ]
        #expect(active == expected)
        #expect(engine.activeAlerts() == expected)
        // Every rule's value, active or not, for the snapshot's rule_values.
        #expect(engine.ruleValues() == [AlertRuleValue(name: "KVStoreUnhealthy", value: 2, threshold: 2),
                                        AlertRuleValue(name: "KVStoreCriticalCheckFailing", value: 1, threshold: 0)])
        let firing = engine.evaluate(Self.observation(at: 45, failing: true))
        #expect(firing.active.map(\.state) == [.firing, .firing])
        #expect(firing.transitions.first?.firedAt == AlertFixtures.time(45))
        #expect(firing.transitions.first?.activeSince == AlertFixtures.time(15))
    }

    @Test func firingAndResolvingReachTheWebhook() async {
        let receiver = FakeReceiver([])
        let notifier = AlertNotifier(targets: [.init(url: "http://127.0.0.1:9/hook", maxRetries: 0)], send: receiver.send)
        let engine = AlertEngine(rules: [Self.rules[1]], notifier: notifier, externalURL: "http://kv-1:8080")
        let task = Task { await notifier.run() }
        engine.evaluate(Self.observation(at: 0, failing: true))
        engine.evaluate(Self.observation(at: 15, failing: true))
        engine.evaluate(Self.observation(at: 30, failing: false))
        #expect(await eventually { notifier.counts.sent == 2 })
        let bodies = receiver.bodies
        #expect(bodies.count == 2)
        #expect(bodies.first?.contains(#""status":"firing""#) == true)
        #expect(bodies.first?.contains(#""endsAt":"0001-01-01T00:00:00Z""#) == true)
        #expect(bodies.last?.contains(#""status":"resolved""#) == true)
        #expect(bodies.last?.contains(#""endsAt":"2027-01-15T08:00:30.000Z""#) == true)
        #expect(bodies.last?.contains(#""check":"storage""#) == true)
        task.cancel()
        await task.value
    }

    @Test func observationFromASnapshotUsesItsTime() throws {
        let snapshot = Snapshot(sequence: 1, nodeID: "kv-1", time: Date(snapshotTime: "2027-01-15T08:00:00.000Z"), version: "1.2.3",
                                uptimeSeconds: 1, health: AlertFixtures.health(), metrics: [], storage: nil, alerts: [])
        let observation = AlertObservation(snapshot: snapshot)
        #expect(observation.time == AlertFixtures.start)
        #expect(observation.health == snapshot.health && observation.metrics == snapshot.metrics)
    }
}
