import Foundation
import Testing

@testable import KVMonitoring

@Suite struct AlertmanagerPayloadTests {
    static let unhealthyLabels = ["alertname": "KVStoreUnhealthy", "severity": "critical"]

    static func transition(_ change: AlertStateMachine.Change, name: String = "KVStoreUnhealthy",
                           labels: [String: String] = unhealthyLabels, value: Double = 2) -> AlertTransition {
        AlertTransition(
            change: change, name: name, severity: "critical", summary: "kvstore is unhealthy",
            description: "A critical check is failing.", labels: labels, value: value,
            activeSince: AlertFixtures.time(0), firedAt: change == .pending ? nil : AlertFixtures.time(30),
            time: AlertFixtures.time(change == .resolved ? 90 : 30)
        )
    }

    private func json(_ payload: AlertmanagerPayload?) -> String? {
        payload.map { String(decoding: $0.encoded(), as: UTF8.self) }
    }

    @Test func firingPayloadIsAlertmanagersWebhookShape() {
        let payload = AlertmanagerPayload(transitions: [Self.transition(.firing)], externalURL: "http://kv-1:8080")
        #expect(self.json(payload) == """
            {"alerts":[{"annotations":{"description":"A critical check is failing.","summary":"kvstore is unhealthy","value":"2"},\
            "endsAt":"0001-01-01T00:00:00Z","fingerprint":"84852832ec010480","generatorURL":"http://kv-1:8080/api/v1/alerts",\
            "labels":{"alertname":"KVStoreUnhealthy","severity":"critical"},"startsAt":"2027-01-15T08:00:30.000Z","status":"firing"}],\
            "commonAnnotations":{"description":"A critical check is failing.","summary":"kvstore is unhealthy","value":"2"},\
            "commonLabels":{"alertname":"KVStoreUnhealthy","severity":"critical"},"externalURL":"http://kv-1:8080",\
            "groupKey":"{}:{alertname=\\"KVStoreUnhealthy\\"}","groupLabels":{"alertname":"KVStoreUnhealthy"},\
            "receiver":"kvstore","status":"firing","truncatedAlerts":0,"version":"4"}
            """)
    }

    @Test func resolvedPayloadHasAnEndTime() {
        let payload = AlertmanagerPayload(transitions: [Self.transition(.resolved, value: 0.0625)])
        #expect(self.json(payload) == """
            {"alerts":[{"annotations":{"description":"A critical check is failing.","summary":"kvstore is unhealthy","value":"0.0625"},\
            "endsAt":"2027-01-15T08:01:30.000Z","fingerprint":"84852832ec010480","generatorURL":"",\
            "labels":{"alertname":"KVStoreUnhealthy","severity":"critical"},"startsAt":"2027-01-15T08:00:30.000Z","status":"resolved"}],\
            "commonAnnotations":{"description":"A critical check is failing.","summary":"kvstore is unhealthy","value":"0.0625"},\
            "commonLabels":{"alertname":"KVStoreUnhealthy","severity":"critical"},"externalURL":"",\
            "groupKey":"{}:{alertname=\\"KVStoreUnhealthy\\"}","groupLabels":{"alertname":"KVStoreUnhealthy"},\
            "receiver":"kvstore","status":"resolved","truncatedAlerts":0,"version":"4"}
            """)
    }

    @Test func mixedAlertsShareOnlyWhatIsCommon() throws {
        let critical = ["alertname": "KVStoreCriticalCheckFailing", "severity": "critical", "check": "db,storage"]
        let payload = try #require(AlertmanagerPayload(transitions: [
            Self.transition(.resolved),
            Self.transition(.pending, name: "Other"),
            Self.transition(.firing, name: "KVStoreCriticalCheckFailing", labels: critical, value: 2),
        ]))
        #expect(payload.status == "firing")
        #expect(payload.groupLabels == [:])
        #expect(payload.groupKey == "{}:{}")
        #expect(payload.commonLabels == ["severity": "critical"])
        #expect(payload.commonAnnotations == ["summary": "kvstore is unhealthy", "description": "A critical check is failing.", "value": "2"])
        #expect(payload.alerts.map(\.status) == ["resolved", "firing"])
        #expect(payload.alerts.map(\.fingerprint) == ["84852832ec010480", "2f3439cb98ab66d0"])
    }

    @Test func pendingAndCancelledAreNotNotified() {
        #expect(AlertmanagerPayload(transitions: [Self.transition(.pending), Self.transition(.cancelled)]) == nil)
        #expect(AlertmanagerPayload(transitions: []) == nil)
    }

    /// Prometheus' own test vector (prometheus/common model/signature_test.go).
    @Test func fingerprintMatchesPrometheus() {
        #expect(LabelFingerprint.fingerprint(["name": "garland, briggs", "fear": "love is not enough"]) == String(5_799_056_148_416_392_346, radix: 16))
        #expect(LabelFingerprint.fingerprint([:]) == String(14_695_981_039_346_656_037 as UInt64, radix: 16))
        #expect(LabelFingerprint.text(["b": "x\"y", "a": "1"]) == #"{a="1", b="x\"y"}"#)
    }
}
