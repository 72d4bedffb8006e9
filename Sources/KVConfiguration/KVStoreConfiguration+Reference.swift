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
            } else {
                defaults = "`\(row.defaults[.development] ?? "")`"
            }
            let cells = [
                "`\(row.key)`", defaults, row.allowedValues, "`\(row.environmentVariable)`",
                row.flag.map { "`\($0)`" } ?? "", row.summary,
            ]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The value of `key` in this configuration, spelled as an environment variable would spell it;
    /// `nil` for an unknown key.
    public func value(forKey key: String) -> String? {
        ConfigurationKey.named(key)?.render(self)
    }
}
