import KVConfiguration
import Testing

@Suite struct AlertsConfigurationTests {
    typealias Rule = KVStoreConfiguration.Alerts.Rule
    typealias Webhook = KVStoreConfiguration.Alerts.Webhook

    @Test func defaultsAreTheBuiltInRulesAndNoWebhooks() throws {
        let alerts = try load().alerts
        #expect(alerts.enabled)
        #expect(alerts.rules == KVStoreConfiguration.Alerts.defaultRules)
        #expect(alerts.webhooks == [])
        #expect(KVStoreConfiguration(environment: .production).alerts == alerts)
    }

    @Test func theBuiltInRulesPassTheirOwnValidationAndRenderBack() throws {
        let rendered = try #require(KVStoreConfiguration().value(forKey: "alerts.rules"))
        #expect(rendered.hasPrefix(#"[{"name":"KVStoreUnhealthy","kind":"health_status","severity":"critical","threshold":2,"#))
        #expect(try load(overrides: ["alerts.rules": rendered]).alerts.rules == KVStoreConfiguration.Alerts.defaultRules)
    }

    @Test func rulesInFileReplaceTheBuiltInRulesAndTakeTheirDefaults() throws {
        let configuration = try load(
            yaml: """
                alerts:
                  enabled: false
                  rules:
                    - name: Errors
                      kind: error_ratio
                      severity: CRITICAL
                      threshold: 0.1
                      window: 10m
                      for: 0
                      summary: "too many 5xx: {{ value }}"
                      description: more than 10% fail
                    - name: Slow_p99
                      kind: latency_p99
                      threshold: 0.5
                      summary: slow
                    - name: Down
                      kind: health_status
                      threshold: 2
                      summary: down
                    - name: Snap
                      kind: snapshots
                      summary: snapshots failing
                    - name: Check
                      kind: critical_check
                      threshold: 7
                      summary: check
                """
        )
        #expect(configuration.alerts.enabled == false)
        #expect(
            configuration.alerts.rules == [
                Rule(
                    name: "Errors", kind: .errorRatio, severity: "critical", threshold: 0.1, windowSeconds: 600,
                    forSeconds: 0, summary: "too many 5xx: {{ value }}", description: "more than 10% fail"
                ),
                Rule(name: "Slow_p99", kind: .latencyP99, severity: "warning", threshold: 0.5, windowSeconds: 300, forSeconds: 60, summary: "slow"),
                Rule(name: "Down", kind: .healthStatus, threshold: 2, summary: "down"),
                Rule(name: "Snap", kind: .snapshots, threshold: 0, summary: "snapshots failing"),
                Rule(name: "Check", kind: .criticalCheck, threshold: 7, summary: "check"),
            ]
        )
    }

    @Test(arguments: ["", "[]", "null"])
    func anEmptyListMeansNoRules(text: String) throws {
        #expect(try load(environment: ["KVSTORE_ALERTS_RULES": text]).alerts.rules == [])
        #expect(try load(yaml: "alerts:\n  rules: []\n").alerts.rules == [])
    }

    @Test func rulesAndWebhooksParseFromJSONInVariablesAndFlags() throws {
        let rules = #"[{"name":"Mem","kind":"memory_ratio","threshold":0.8,"for":"5m","summary":"memory"}]"#
        let webhooks = #"[{"url":"http://127.0.0.1:9093/api/v2/alerts"},{"url":"http://hooks:80/","timeout_seconds":0.5,"max_retries":0}]"#
        let configuration = try load(
            environment: ["KVSTORE_ALERTS_RULES": rules],
            overrides: ["alerts.webhooks": webhooks]
        )
        #expect(configuration.alerts.rules == [Rule(name: "Mem", kind: .memoryRatio, threshold: 0.8, forSeconds: 300, summary: "memory")])
        #expect(
            configuration.alerts.webhooks == [
                Webhook(url: "http://127.0.0.1:9093/api/v2/alerts"),
                Webhook(url: "http://hooks:80/", timeoutSeconds: 0.5, maxRetries: 0),
            ]
        )
        #expect(
            configuration.value(forKey: "alerts.webhooks")
                == #"[{"url":"http://127.0.0.1:9093/api/v2/alerts","timeout_seconds":2,"max_retries":3},"#
                + #"{"url":"http://hooks:80/","timeout_seconds":0.5,"max_retries":0}]"#
        )
        #expect(
            configuration.value(forKey: "alerts.rules")
                == #"[{"name":"Mem","kind":"memory_ratio","severity":"warning","threshold":0.8,"window":"5m","for":"5m","summary":"memory"}]"#
        )
    }

    @Test(arguments: [
        ("health_status", "1.5", "1 (degraded) or 2 (unhealthy) for kind health_status"),
        ("health_status", "0", "1 (degraded) or 2 (unhealthy) for kind health_status"),
        ("error_ratio", "0", "a share greater than 0 and at most 1 for kind error_ratio"),
        ("memory_ratio", "1.5", "a share greater than 0 and at most 1 for kind memory_ratio"),
        ("storage_ratio", "-0.1", "a share greater than 0 and at most 1 for kind storage_ratio"),
        ("latency_p99", "0", "a number of seconds from 0.0001 to 86400 for kind latency_p99"),
        ("latency_p99", "1e16", "a number of seconds from 0.0001 to 86400 for kind latency_p99"),
        ("snapshots", "many", "a number from -1000000000 to 1000000000 (kind snapshots does not use it)"),
    ])
    func thresholdsAreCheckedPerKind(kind: String, threshold: String, expected: String) throws {
        // The threshold comes before the kind on purpose: it is checked once the kind is known.
        let yaml = "alerts:\n  rules:\n    - name: R\n      threshold: '\(threshold)'\n      kind: \(kind)\n      summary: s\n"
        #expect(
            try loadFailure(yaml: yaml)
                == "config file FILE, line 4: invalid value \(threshold.debugDescription) for alerts.rules[0].threshold "
                + "(expected \(expected))"
        )
    }

    @Test func ratiosMayBeOneAndHealthStatusOneOrTwo() throws {
        for (kind, threshold) in [("error_ratio", "1"), ("storage_ratio", "0.01"), ("health_status", "1"), ("latency_p99", "0.001")] {
            let rules = #"[{"name":"R","kind":"\#(kind)","threshold":\#(threshold),"summary":"s"}]"#
            #expect(try loadFailure(overrides: ["alerts.rules": rules]) == nil, "\(kind) \(threshold)")
        }
    }

    @Test func missingKeysAreNamed() throws {
        let prefix = "config file FILE, line 3: missing key alerts.rules[0]."
        #expect(
            try loadFailure(yaml: "alerts:\n  rules:\n    - name: R\n      kind: error_ratio\n      summary: s\n")
                == prefix + "threshold (expected a share greater than 0 and at most 1 for kind error_ratio)"
        )
        #expect(
            try loadFailure(yaml: "alerts:\n  rules:\n    - name: R\n      kind: snapshots\n")
                == prefix + "summary (expected a non-empty string)"
        )
        #expect(
            try loadFailure(yaml: "alerts:\n  rules:\n    - name: R\n      summary: s\n")
                == prefix + "kind (expected one of health_status, critical_check, error_ratio, latency_p99, "
                + "memory_ratio, storage_ratio, snapshots, cluster_member_missing)"
        )
        #expect(
            try loadFailure(yaml: "alerts:\n  rules:\n    - kind: snapshots\n      summary: s\n")
                == prefix + "name (expected a name of letters A-Z or a-z, digits 0-9 and '_')"
        )
        #expect(
            try loadFailure(yaml: "alerts:\n  webhooks:\n    - timeout_seconds: 1\n")
                == "config file FILE, line 3: missing key alerts.webhooks[0].url "
                + "(expected an http:// URL with a host, such as http://127.0.0.1:9000/health)"
        )
    }

    @Test func badRuleValuesNameTheEntryKeyAndLine() throws {
        let entry = "alerts:\n  rules:\n    - name: R\n      kind: snapshots\n      summary: s\n"
        let duration = "a duration from 1s to 1d: seconds, or a number with the unit s, m, h or d (90m, 36h, 7d)"
        let cases: [(line: String, key: String, value: String, expected: String)] = [
            ("severity: page", "severity", "page", "one of critical, warning, info"),
            ("window: 0", "window", "0", duration),
            ("window: 5w", "window", "5w", duration),
            ("for: -1m", "for", "-1m", "a duration from 0s to 1d: seconds, or a number with the unit s, m, h or d (90m, 36h, 7d)"),
            ("for: 25h", "for", "25h", "a duration from 0s to 1d: seconds, or a number with the unit s, m, h or d (90m, 36h, 7d)"),
        ]
        for (line, key, value, expected) in cases {
            #expect(
                try loadFailure(yaml: entry + "      \(line)\n")
                    == "config file FILE, line 6: invalid value \(value.debugDescription) for alerts.rules[0].\(key) (expected \(expected))"
            )
        }
        #expect(
            try loadFailure(yaml: "alerts:\n  rules:\n    - name: R\n      kind: snapshots\n      summary: ' '\n")
                == "config file FILE, line 5: invalid value \" \" for alerts.rules[0].summary (expected a non-empty string)"
        )
        #expect(
            try loadFailure(yaml: "alerts:\n  rules:\n    - name: R\n      kind: disk\n      summary: s\n")
                == "config file FILE, line 4: invalid value \"disk\" for alerts.rules[0].kind (expected one of health_status, "
                + "critical_check, error_ratio, latency_p99, memory_ratio, storage_ratio, snapshots, cluster_member_missing)"
        )
        #expect(
            try loadFailure(yaml: "alerts:\n  rules:\n    - name: high-errors\n      kind: snapshots\n      summary: s\n")
                == "config file FILE, line 3: invalid value \"high-errors\" for alerts.rules[0].name "
                + "(expected a name of letters A-Z or a-z, digits 0-9 and '_')"
        )
        #expect(
            try loadFailure(yaml: entry + "      summry: s\n")
                == "config file FILE, line 6: unknown key alerts.rules[0].summry (allowed keys in alerts.rules[0]: "
                + "name, kind, severity, threshold, window, for, summary, description)"
        )
    }

    @Test func duplicateRuleNamesAreRejected() throws {
        let rule = "    - name: R\n      kind: snapshots\n      summary: s\n"
        #expect(
            try loadFailure(yaml: "alerts:\n  rules:\n" + rule + rule)
                == "config file FILE, line 6: invalid value \"R\" for alerts.rules[1].name "
                + "(expected a name no other rule has; alerts.rules[0] has it)"
        )
    }

    @Test func badWebhookValuesAreRejected() throws {
        let entry = "alerts:\n  webhooks:\n    - url: "
        #expect(
            try loadFailure(yaml: entry + "https://hooks/\n")
                == "config file FILE, line 3: invalid value \"https://hooks/\" for alerts.webhooks[0].url "
                + "(expected an http:// URL with a host, such as http://127.0.0.1:9000/health)"
        )
        #expect(
            try loadFailure(yaml: entry + "http://hooks/\n      timeout_seconds: 0\n")
                == "config file FILE, line 4: invalid value \"0\" for alerts.webhooks[0].timeout_seconds "
                + "(expected a number of seconds from 0.01 to 86400 (1 day))"
        )
        for retries in ["-1", "11", "2.5"] {
            #expect(
                try loadFailure(yaml: entry + "http://hooks/\n      max_retries: '\(retries)'\n")
                    == "config file FILE, line 4: invalid value \(retries.debugDescription) for alerts.webhooks[0].max_retries "
                    + "(expected an integer from 0 to 10)"
            )
        }
        #expect(
            try loadFailure(environment: ["KVSTORE_ALERTS_WEBHOOKS": "http://hooks/"])
                == "environment variable KVSTORE_ALERTS_WEBHOOKS: invalid value \"http://hooks/\" for alerts.webhooks "
                + "(expected a list of mappings, each with the key url and optionally timeout_seconds and max_retries; "
                + "JSON text in a variable or flag)"
        )
        #expect(
            try loadFailure(yaml: entry + "http://hooks/\n      retries: 1\n")
                == "config file FILE, line 4: unknown key alerts.webhooks[0].retries "
                + "(allowed keys in alerts.webhooks[0]: url, timeout_seconds, max_retries)"
        )
    }

    @Test func theRuleHelpersAgreeWithTheParser() {
        #expect(Rule.severities == ["critical", "warning", "info"])
        #expect(Rule.isValidName("KVStore_Unhealthy2"))
        for bad in ["", "a-b", "a.b", "a b", "é"] {
            #expect(!Rule.isValidName(bad), "\(bad)")
        }
        #expect(Rule.Kind.allCases.filter { !Rule.usesThreshold($0) } == [.criticalCheck, .snapshots, .clusterMemberMissing])
    }
}
