import Foundation
import KVSnapshot

/// The body of an Alertmanager webhook notification (version 4) for a set of transitions.
///
/// Only `firing` and `resolved` transitions are included. The group is the whole set:
/// `groupLabels` holds `alertname` when every alert shares it and is empty otherwise.
public struct AlertmanagerPayload: Sendable, Equatable, Encodable {
    /// One alert in the notification.
    public struct Alert: Sendable, Equatable, Encodable {
        /// `firing` or `resolved`.
        public var status: String
        public var labels: [String: String]
        /// `summary`, `description` and `value`.
        public var annotations: [String: String]
        /// When the alert fired (RFC 3339, UTC).
        public var startsAt: String
        /// When it resolved; `0001-01-01T00:00:00Z` while firing.
        public var endsAt: String
        public var generatorURL: String
        /// Prometheus' fingerprint of `labels`.
        public var fingerprint: String
    }

    /// `endsAt` of an alert still firing, as Alertmanager writes Go's zero time.
    public static let zeroTime = "0001-01-01T00:00:00Z"

    public var version = "4"
    public var groupKey: String
    public var truncatedAlerts = 0
    /// `firing` when any alert is firing, else `resolved`.
    public var status: String
    public var receiver = "kvstore"
    public var groupLabels: [String: String]
    public var commonLabels: [String: String]
    public var commonAnnotations: [String: String]
    /// Where the server can be reached (may be empty).
    public var externalURL: String
    public var alerts: [Alert]

    /// The notification for the `firing` and `resolved` transitions in `transitions`; nil if none.
    ///
    /// - Parameter externalURL: the server's base URL; alerts link to `externalURL/api/v1/alerts`.
    public init?(transitions: [AlertTransition], externalURL: String = "") {
        let alerts = transitions.filter(\.notifies).map { Self.alert(for: $0, externalURL: externalURL) }
        guard !alerts.isEmpty else { return nil }
        let names = Set(alerts.compactMap { $0.labels["alertname"] })
        self.groupLabels = names.count == 1 && alerts.allSatisfy({ $0.labels["alertname"] != nil }) ? ["alertname": names.first!] : [:]
        self.groupKey = "{}:" + LabelFingerprint.text(self.groupLabels)
        self.status = alerts.contains { $0.status == "firing" } ? "firing" : "resolved"
        self.commonLabels = Self.common(alerts.map(\.labels))
        self.commonAnnotations = Self.common(alerts.map(\.annotations))
        self.externalURL = externalURL
        self.alerts = alerts
    }

    /// The JSON body: keys sorted, slashes not escaped.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Only strings and integers: encoding cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }

    private static func alert(for transition: AlertTransition, externalURL: String) -> Alert {
        let firing = transition.change == .firing
        let startsAt = transition.firedAt ?? transition.activeSince
        return Alert(
            status: firing ? "firing" : "resolved",
            labels: transition.labels,
            annotations: [
                "summary": transition.summary,
                "description": transition.description,
                "value": AlertValueText.text(transition.value),
            ],
            startsAt: SnapshotTime.format(startsAt),
            endsAt: firing ? Self.zeroTime : SnapshotTime.format(transition.time),
            generatorURL: externalURL.isEmpty ? "" : externalURL + "/api/v1/alerts",
            fingerprint: LabelFingerprint.fingerprint(transition.labels)
        )
    }

    /// The pairs every set has with the same value.
    private static func common(_ sets: [[String: String]]) -> [String: String] {
        guard var result = sets.first else { return [:] }
        for set in sets.dropFirst() {
            result = result.filter { set[$0.key] == $0.value }
        }
        return result
    }
}
