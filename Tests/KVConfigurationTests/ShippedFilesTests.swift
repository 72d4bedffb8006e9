import Foundation
import KVConfiguration
import Testing

@Suite struct ShippedFilesTests {
    let configPath = repositoryRoot.appendingPathComponent("config.yaml").path
    let docsPath = repositoryRoot.appendingPathComponent("docs/configuration.md").path

    @Test func shippedConfigLoadsAsTheEmbeddedDefaults() throws {
        let configuration = try ConfigurationLoader.load(file: configPath, environment: [:], overrides: [:])
        #expect(configuration == KVStoreConfiguration())
    }

    @Test func shippedConfigLeavesProfileDefaultsToTheProfile() throws {
        let configuration = try ConfigurationLoader.load(
            file: configPath,
            environment: ["KVSTORE_ENVIRONMENT": "production"],
            overrides: [:]
        )
        #expect(configuration == KVStoreConfiguration(environment: .production))
    }

    @Test func shippedConfigMentionsEveryKey() throws {
        let text = try String(contentsOfFile: configPath, encoding: .utf8)
        for key in KVStoreConfiguration.allKeys {
            let leaf = key.split(separator: ".").last.map(String.init) ?? key
            #expect(text.contains("\(leaf):"), "config.yaml does not mention \(key)")
        }
    }

    @Test func docsEmbedTheGeneratedReference() throws {
        let docs = try String(contentsOfFile: docsPath, encoding: .utf8)
        let table = KVStoreConfiguration.referenceMarkdown()
        #expect(
            docs.contains("<!-- BEGIN GENERATED: configuration keys -->\n" + table + "<!-- END GENERATED -->"),
            "docs/configuration.md is out of date; replace its generated table with:\n\(table)"
        )
        for key in KVStoreConfiguration.allKeys {
            #expect(docs.contains("`\(key)`"))
        }
    }

    @Test func docsEmbedTheGeneratedAlertRules() throws {
        let docs = try String(contentsOfFile: docsPath, encoding: .utf8)
        let table = KVStoreConfiguration.alertRulesMarkdown()
        #expect(
            docs.contains("<!-- BEGIN GENERATED: alert rules -->\n" + table + "<!-- END GENERATED -->"),
            "docs/configuration.md is out of date; replace its generated alert rules with:\n\(table)"
        )
        for rule in KVStoreConfiguration.Alerts.defaultRules {
            #expect(table.contains("| `\(rule.name)` | `\(rule.kind.rawValue)` | \(rule.severity) |"))
        }
    }

    @Test func theClusterNodeConfigLoadsWithThePostgresEngine() throws {
        let password = try TemporaryConfigFile("s3cret\n", name: "postgres-password")
        defer { password.remove() }
        // The file as shipped, with the container's secret path pointing at a file of this machine.
        let shipped = try String(contentsOf: repositoryRoot.appendingPathComponent("deploy/cluster/kvstore.yaml"), encoding: .utf8)
        #expect(shipped.contains("/run/secrets/postgres_password"))
        let file = try TemporaryConfigFile(shipped.replacingOccurrences(of: "/run/secrets/postgres_password", with: password.path))
        defer { file.remove() }
        let configuration = try ConfigurationLoader.load(
            file: file.path, environment: ["KVSTORE_NODE_ID": "kvstore-2", "KVSTORE_CLUSTER_ADVERTISE_URL": "http://kvstore-2:8080"],
            overrides: [:])
        #expect(configuration.storage.engine == .postgres)
        #expect(configuration.storage.postgres.hosts == [.init(host: "postgres", port: 5432)])
        #expect(configuration.storage.postgres.effectivePassword == "s3cret")
        #expect(configuration.advertisedURL == "http://kvstore-2:8080")
        #expect(configuration.value(forKey: "storage.postgres.password_file")?.contains("s3cret") == false)
    }

    @Test func shippedConfigHoldsNoSecret() throws {
        let text = try String(contentsOfFile: configPath, encoding: .utf8)
        for line in text.split(separator: "\n") where line.contains("secret:") {
            // Only commented-out examples, and those with an obvious placeholder.
            #expect(line.trimmingCharacters(in: .whitespaces).hasPrefix("#"), "\(line)")
            #expect(line.contains("replace-me"), "\(line)")
        }
    }

    @Test func everyYAMLExampleInTheDocsLoads() throws {
        let docs = try String(contentsOfFile: docsPath, encoding: .utf8)
        let blocks = docs.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.count >= 2)
        for block in blocks {
            #expect(try loadFailure(yaml: block) == nil, "\(block)")
        }
    }

    @Test func referenceCoversEveryKey() {
        let reference = KVStoreConfiguration.reference
        #expect(reference.map(\.key) == KVStoreConfiguration.allKeys)
        let level = reference.first { $0.key == "logging.level" }
        #expect(level?.defaults == [.development: "debug", .production: "info"])
        #expect(level?.isProfileDependent == true)
        #expect(level?.flag == "--log-level")
        #expect(level?.environmentVariable == "KVSTORE_LOGGING_LEVEL")
        let port = reference.first { $0.key == "server.port" }
        #expect(port?.isProfileDependent == false)
        #expect(port?.defaults[.development] == "8080")
        let nodeID = reference.first { $0.key == "node.id" }
        #expect(nodeID?.defaultDescription == "the host name")
        #expect(nodeID?.defaults[.development] == KVStoreConfiguration.Node.defaultID)
        #expect(
            reference.filter { $0.defaultDescription != nil }.map(\.key)
                == ["server.allowed_hosts", "node.id", "cluster.advertise_url", "alerts.rules", "security.health_details",
                    "security.rate_limit.burst"]
        )
        // A default that is no value reads "none" rather than empty backticks.
        let corsRow = KVStoreConfiguration.referenceMarkdown().split(separator: "\n").first { $0.hasPrefix("| `security.cors_origins` |") }
        #expect(corsRow?.hasPrefix("| `security.cors_origins` | none |") == true)
        // The generated table does not depend on the machine it is generated on.
        let nodeRow = KVStoreConfiguration.referenceMarkdown().split(separator: "\n").first { $0.hasPrefix("| `node.id` |") }
        #expect(nodeRow?.hasPrefix("| `node.id` | the host name |") == true)
        #expect(Set(reference.compactMap(\.flag)) == ["--host", "--port", "--data-dir", "--durability", "--log-level"])
    }
}
