import KVSnapshot

extension KVStoreConfiguration {
    /// Built-in alert rules, evaluated on each snapshot tick, and where transitions are sent.
    public struct Alerts: Sendable, Equatable {
        /// One rule: a condition on the values a snapshot holds.
        public struct Rule: Sendable, Equatable {
            /// What the rule looks at: the ``AlertKind`` the alert engine evaluates.
            public typealias Kind = AlertKind

            public var name: String
            public var kind: Kind
            /// `critical`, `warning` or `info`.
            public var severity: String
            public var threshold: Double
            public var windowSeconds: Double
            /// How long the condition must hold before the alert fires (pending until then).
            public var forSeconds: Double
            public var summary: String
            public var description: String

            public init(name: String, kind: Kind, severity: String = "warning", threshold: Double = 0, windowSeconds: Double = 300,
                        forSeconds: Double = 60, summary: String, description: String = "") {
                self.name = name
                self.kind = kind
                self.severity = severity
                self.threshold = threshold
                self.windowSeconds = windowSeconds
                self.forSeconds = forSeconds
                self.summary = summary
                self.description = description
            }
        }

        /// A receiver of Alertmanager-style webhook POSTs.
        public struct Webhook: Sendable, Equatable {
            /// An `http://` URL.
            public var url: String
            public var timeoutSeconds: Double
            /// Retries after a failed POST (with backoff); 0 = one attempt.
            public var maxRetries: Int

            public init(url: String, timeoutSeconds: Double = 2, maxRetries: Int = 3) {
                self.url = url
                self.timeoutSeconds = timeoutSeconds
                self.maxRetries = maxRetries
            }
        }

        /// Key `alerts.enabled`.
        public var enabled: Bool
        /// Key `alerts.rules`: replaces the shipped defaults when set.
        public var rules: [Rule]
        /// Key `alerts.webhooks`.
        public var webhooks: [Webhook]

        public init(enabled: Bool = true, rules: [Rule] = Alerts.defaultRules, webhooks: [Webhook] = []) {
            self.enabled = enabled
            self.rules = rules
            self.webhooks = webhooks
        }

        /// The shipped rules; `deploy/prometheus/alerts.yml` holds the same rules in PromQL.
        public static let defaultRules: [Rule] = [
            Rule(name: "KVStoreUnhealthy", kind: .healthStatus, severity: "critical", threshold: 2, forSeconds: 60,
                 summary: "kvstore is unhealthy", description: "Overall health has been unhealthy: a critical check is failing."),
            Rule(name: "KVStoreDegraded", kind: .healthStatus, severity: "warning", threshold: 1, forSeconds: 300,
                 summary: "kvstore is degraded", description: "A non-critical check has been failing or warning."),
            Rule(name: "KVStoreCriticalCheckFailing", kind: .criticalCheck, severity: "critical", forSeconds: 60,
                 summary: "a critical health check is failing", description: "A check marked critical reports unhealthy."),
            Rule(name: "KVStoreHighErrorRatio", kind: .errorRatio, severity: "critical", threshold: 0.05, windowSeconds: 300, forSeconds: 300,
                 summary: "more than 5% of requests fail with 5xx", description: "The 5xx share of HTTP requests over 5 minutes is above 5%."),
            Rule(name: "KVStoreHighLatencyP99", kind: .latencyP99, severity: "warning", threshold: 0.25, windowSeconds: 300, forSeconds: 300,
                 summary: "p99 latency above 250 ms", description: "The 99th percentile of request duration over 5 minutes is above 0.25 s."),
            Rule(name: "KVStoreMemoryHigh", kind: .memoryRatio, severity: "warning", threshold: 0.9, forSeconds: 300,
                 summary: "memory above 90% of its limit", description: "Resident memory is above 90% of health.memory_limit_mb."),
            Rule(name: "KVStoreStorageNearQuota", kind: .storageRatio, severity: "warning", threshold: 0.9, forSeconds: 300,
                 summary: "storage above 90% of its quota", description: "Storage in use is above 90% of storage.quota_bytes; writes will be refused at the quota."),
            Rule(name: "KVStoreSnapshotsFailing", kind: .snapshots, severity: "warning", forSeconds: 60,
                 summary: "snapshots are failing or stale", description: "The snapshot writer reports failures or has not written for three intervals."),
            Rule(name: "KVStoreClusterMemberMissing", kind: .clusterMemberMissing, severity: "warning", forSeconds: 60,
                 summary: "a cluster member is missing", description: "A node of the shared store has sent no heartbeat for three intervals."),
        ]
    }
}
