/// Builds a ``KVStoreConfiguration`` from its layers: embedded defaults < environment profile <
/// YAML file < `KVSTORE_*` environment variables < command-line overrides.
public enum ConfigurationLoader {
    /// Loads the configuration, or throws one line naming the source, key and value that are wrong.
    ///
    /// - Parameters:
    ///   - file: the YAML file to read, or `nil` for none; a path that does not exist is an error.
    ///   - environment: the process environment (`ProcessInfo.processInfo.environment`); every
    ///     variable starting with `KVSTORE_` must name a key.
    ///   - overrides: dotted key to value, from command-line flags (`["server.port": "9000"]`).
    public static func load(
        file: String?,
        environment: [String: String],
        overrides: [String: String]
    ) throws(ConfigurationError) -> KVStoreConfiguration {
        var settings: [Setting] = []
        if let file {
            settings += try ConfigurationFile.settings(atPath: file)
        }
        settings += try environmentSettings(environment)
        settings += try overrideSettings(overrides)

        // The profile comes first, so that every explicit value wins over it.
        var selection = KVStoreConfiguration()
        for setting in settings where setting.key.name == "environment" {
            try setting.apply(to: &selection)
        }
        var configuration = KVStoreConfiguration(environment: selection.environment)
        var sources: [String: ConfigurationSource] = [:]
        for setting in settings {
            try setting.apply(to: &configuration)
            sources[setting.key.name] = setting.source
        }
        try checkCombinations(of: configuration, sources: sources)
        return configuration
    }

    /// Every dotted key, in reference order.
    public static var allKeys: [String] {
        KVStoreConfiguration.allKeys
    }

    /// The environment variable that sets `key`: `KVSTORE_` + the key in upper case, dots as underscores.
    public static func environmentVariable(forKey key: String) -> String {
        ConfigurationKey.environmentVariable(forPath: key)
    }

    static func environmentSettings(_ environment: [String: String]) throws(ConfigurationError) -> [Setting] {
        var settings: [Setting] = []
        for name in environment.keys.sorted() where name.hasPrefix("KVSTORE_") {
            guard let key = ConfigurationKey.all.first(where: { $0.environmentVariable == name }) else {
                throw .unknownVariable(name, allowed: allowedVariablesDescription(for: name))
            }
            settings.append(Setting(key: key, value: .text(environment[name] ?? ""), source: .environmentVariable(name)))
        }
        return settings
    }

    static func overrideSettings(_ overrides: [String: String]) throws(ConfigurationError) -> [Setting] {
        var settings: [Setting] = []
        for name in overrides.keys.sorted() {
            guard let key = ConfigurationKey.named(name) else {
                let section = ConfigurationKey.isSection(name) ? name : ConfigurationKey.enclosingSection(of: name)
                let allowed =
                    section.isEmpty
                    ? "allowed keys: " + ConfigurationKey.all.map(\.name).joined(separator: ", ")
                    : ConfigurationKey.allowedKeysDescription(in: section)
                throw .unknownKey(name, allowed: allowed, source: .commandLine(flag: nil))
            }
            settings.append(Setting(key: key, value: .text(overrides[name] ?? ""), source: .commandLine(flag: key.flag)))
        }
        return settings
    }

    /// "allowed in server: KVSTORE_SERVER_HOST, ..." for the section `name` starts with, else every variable.
    private static func allowedVariablesDescription(for name: String) -> String {
        let sections = ConfigurationKey.all.flatMap { key in
            let components = key.name.split(separator: ".").dropLast()
            return components.indices.map { components[...$0].joined(separator: ".") }
        }
        let section = sections
            .filter { name.hasPrefix(ConfigurationKey.environmentVariable(forPath: $0) + "_") }
            .max { $0.count < $1.count }
        guard let section else {
            return "allowed variables: " + ConfigurationKey.all.map(\.environmentVariable).joined(separator: ", ")
        }
        let variables = ConfigurationKey.all.filter { $0.name.hasPrefix(section + ".") }.map(\.environmentVariable)
        return "allowed variables for \(section): " + variables.joined(separator: ", ")
    }

    /// Rules that involve more than one key.
    private static func checkCombinations(
        of configuration: KVStoreConfiguration,
        sources: [String: ConfigurationSource]
    ) throws(ConfigurationError) {
        func origin(_ key: String) -> String {
            if let source = sources[key] { return "from \(source)" }
            let profiles = KVStoreConfiguration.Environment.allCases.map(KVStoreConfiguration.init(environment:))
            let isProfileDependent = Set(profiles.compactMap { $0.value(forKey: key) }).count > 1
            return isProfileDependent ? "from \(ConfigurationSource.profile(configuration.environment))" : "the default"
        }
        if configuration.metrics.enabled, let metricsPort = configuration.metrics.port,
            metricsPort == configuration.server.port
        {
            throw ConfigurationError(
                .conflictingValues,
                description: "metrics.port \(metricsPort) (\(origin("metrics.port"))) must differ from "
                    + "server.port \(configuration.server.port) (\(origin("server.port"))); "
                    + "set another port, or none to serve metrics on the main port"
            )
        }
        let security = configuration.security
        if security.tokens.isEmpty {
            for (key, isOn, route) in [
                ("security.protect_metrics", security.protectMetrics, "/api/v1/metrics"),
                ("security.protect_dashboard", security.protectDashboard, "/dashboard"),
            ] where isOn {
                throw ConfigurationError(
                    .conflictingValues,
                    description: "\(key) true (\(origin(key))) requires security.tokens: protecting \(route) "
                        + "needs a token with the read role; add one, or set \(key) to false"
                )
            }
        }
        switch (security.tlsCertificateFile, security.tlsKeyFile) {
        case (_?, nil):
            throw ConfigurationError(
                .conflictingValues,
                description: "security.tls_certificate_file (\(origin("security.tls_certificate_file"))) requires "
                    + "security.tls_key_file; set both for HTTPS, or neither"
            )
        case (nil, _?):
            throw ConfigurationError(
                .conflictingValues,
                description: "security.tls_key_file (\(origin("security.tls_key_file"))) requires "
                    + "security.tls_certificate_file; set both for HTTPS, or neither"
            )
        default:
            break
        }
    }
}
