import KVConfiguration
import KVMonitoring
import KVStorage
import Logging
import Testing
@testable import KVServer

/// Every configuration value maps to the component value of the same name, and every component
/// value is reached: the mappings in `KVStoreConfiguration+Components.swift` are one-to-one.
@Suite struct ConfigurationMappingTests {
    @Test func durabilityIsTheStorageDurability() {
        #expect(KVStoreConfiguration.Storage.Durability.self == KVStorage.Durability.self)
        #expect(KVStorage.Durability.allCases.map(\.rawValue) == ["always", "batched", "none"])
    }

    @Test(arguments: KVStoreConfiguration.Logging.Level.allCases)
    func logLevelMapsToTheSwiftLogLevelOfTheSameName(level: KVStoreConfiguration.Logging.Level) {
        #expect(Logger.Level(level).rawValue == level.rawValue)
    }

    @Test func everySwiftLogLevelCanBeConfigured() {
        let mapped = Set(KVStoreConfiguration.Logging.Level.allCases.map { Logger.Level($0) })
        #expect(mapped == Set(Logger.Level.allCases))
    }

    @Test func logFormatIsTheHandlerFormat() {
        #expect(LogLineHandler.Format.self == KVStoreConfiguration.Logging.Format.self)
        #expect(KVStoreConfiguration.Logging.Format.allCases.map(\.rawValue) == ["logfmt", "json"])
    }

    @Test func alertKindIsTheAlertRuleKind() {
        #expect(KVStoreConfiguration.Alerts.Rule.Kind.self == AlertRule.Kind.self)
        #expect(AlertRule.Kind.allCases.map(\.rawValue)
            == ["health_status", "critical_check", "error_ratio", "latency_p99", "memory_ratio", "storage_ratio", "snapshots",
                "cluster_member_missing"])
    }

    @Test func alertRuleCarriesEveryFieldWithSecondsAsDurations() {
        let configured = KVStoreConfiguration.Alerts.Rule(
            name: "Slow", kind: .latencyP99, severity: "critical", threshold: 0.25, windowSeconds: 120.5, forSeconds: 0.25,
            summary: "p99 slow", description: "p99 above 250 ms.")
        let rule = AlertRule(configured)
        #expect(rule == AlertRule(
            name: "Slow", kind: .latencyP99, severity: "critical", threshold: 0.25, window: .milliseconds(120_500),
            forDuration: .milliseconds(250), summary: "p99 slow", description: "p99 above 250 ms."))
    }

    @Test func shippedRulesKeepTheirNamesAndKinds() {
        let rules = KVStoreConfiguration.Alerts.defaultRules.map(AlertRule.init)
        #expect(rules.map(\.name) == KVStoreConfiguration.Alerts.defaultRules.map(\.name))
        #expect(rules.map(\.kind) == KVStoreConfiguration.Alerts.defaultRules.map(\.kind))
    }
}
