import Foundation

extension KVStoreConfiguration {
    /// Every dotted key, in reference order.
    public static var allKeys: [String] {
        ConfigurationKey.all.map(\.name)
    }

    /// One row per key: allowed values, defaults per profile, environment variable, flag, description.
    public static var reference: [ConfigurationKeyReference] {
        let profiles = Environment.allCases.map { ($0, KVStoreConfiguration(environment: $0)) }
        return ConfigurationKey.all.map { key in
            // The environment key selects the profile, so its one default is the embedded one.
            let defaults = profiles.map { profile in
                (profile.0, key.render(key.name == "environment" ? KVStoreConfiguration() : profile.1))
            }
            return ConfigurationKeyReference(
                key: key.name,
                allowedValues: key.expected,
                defaults: Dictionary(uniqueKeysWithValues: defaults),
                defaultDescription: key.defaultDescription,
                environmentVariable: key.environmentVariable,
                flag: key.flag,
                summary: key.summary
            )
        }
    }

    /// The reference as a Markdown table, as `docs/configuration.md` embeds it.
    public static func referenceMarkdown() -> String {
        var lines = [
            "| Key | Default | Allowed values | Environment variable | Flag | Description |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for row in reference {
            let defaults: String
            if let description = row.defaultDescription {
                defaults = description
            } else if row.isProfileDependent {
                defaults = Environment.allCases
                    .map { "\($0.rawValue): `\(row.defaults[$0] ?? "")`" }
                    .joined(separator: "<br>")
            } else if let value = row.defaults[.development], !value.isEmpty {
                defaults = "`\(value)`"
            } else {
                defaults = "none"
            }
            let cells = [
                "`\(row.key)`", defaults, row.allowedValues, "`\(row.environmentVariable)`",
                row.flag.map { "`\($0)`" } ?? "", row.summary,
            ]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The built-in alert rules (``Alerts/defaultRules``) as a Markdown table, as `docs/configuration.md`
    /// embeds it.
    public static func alertRulesMarkdown() -> String {
        let duration = ValueParser<Double>.alertFor
        var lines = [
            "| Name | Kind | Severity | Threshold | Window | For | Summary | Description |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for rule in Alerts.defaultRules {
            let usesWindow = rule.kind == .errorRatio || rule.kind == .latencyP99
            let cells = [
                "`\(rule.name)`", "`\(rule.kind.rawValue)`", rule.severity,
                Alerts.Rule.usesThreshold(rule.kind) ? formatNumber(rule.threshold) : "",
                usesWindow ? duration.render(rule.windowSeconds) : "",
                duration.render(rule.forSeconds), markdownCell(rule.summary), markdownCell(rule.description),
            ]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `text` safe inside a Markdown table cell.
    private static func markdownCell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// The value of `key` in this configuration, spelled as an environment variable would spell it;
    /// `nil` for an unknown key. Secrets are masked: a `security.tokens` entry shows `secret_file`, or
    /// `"secret":"********"`, so that value does not load back as it is.
    public func value(forKey key: String) -> String? {
        ConfigurationKey.named(key)?.render(self)
    }
}
