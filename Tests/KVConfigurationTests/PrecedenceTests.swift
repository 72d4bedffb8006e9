import KVConfiguration
import Testing

@Suite struct PrecedenceTests {
    let yaml = """
        server:
          port: 7000
          host: 0.0.0.0
        """

    @Test func fileWinsOverDefaults() throws {
        let configuration = try load(yaml: yaml)
        #expect(configuration.server.port == 7000)
        #expect(configuration.server.host == "0.0.0.0")
    }

    @Test func environmentVariableWinsOverFile() throws {
        let configuration = try load(yaml: yaml, environment: ["KVSTORE_SERVER_PORT": "8000"])
        #expect(configuration.server.port == 8000)
        #expect(configuration.server.host == "0.0.0.0")
    }

    @Test func overrideWinsOverEnvironmentVariableAndFile() throws {
        let configuration = try load(
            yaml: yaml,
            environment: ["KVSTORE_SERVER_PORT": "8000"],
            overrides: ["server.port": "9000"]
        )
        #expect(configuration.server.port == 9000)
        #expect(configuration.server.host == "0.0.0.0")
    }

    @Test func variablesWithoutThePrefixAreIgnored() throws {
        let configuration = try load(environment: ["PORT": "1", "HOME": "/root", "kvstore_server_port": "2"])
        #expect(configuration == KVStoreConfiguration())
    }

    @Test func everyKeyCanBeSetFromEveryLayer() throws {
        let values: [String: String] = [
            "environment": "production",
            "server.host": "::1",
            "server.port": "0",
            "storage.engine": "memory",
            "storage.path": "/var/lib/kv store",
            "storage.durability": "batched",
            "storage.sync_interval": "0.25",
            "storage.max_value_bytes": "2 MiB",
            "storage.quota_bytes": "1GiB",
            "logging.level": "notice",
            "logging.format": "json",
            "logging.slow_request_ms": "0",
            "logging.enable_performance_log": "on",
            "logging.enable_database_logging": "yes",
            "metrics.enabled": "false",
            "metrics.port": "9100",
            "metrics.duration_buckets": "0.5,1",
            "metrics.size_buckets": "10",
            "metrics.max_series_per_family": "1",
            "node.id": "kv-1.eu_west",
            "health.interval_seconds": "0.5",
            "health.timeout_seconds": "0.25",
            "health.failure_threshold": "5",
            "health.success_threshold": "2",
            "health.memory_limit_mb": "2_048",
            "health.memory_degraded_ratio": "1",
            "health.thread_limit": "500",
            "health.disk_min_free_bytes": "0",
            "health.dependencies": #"[{"name":"up","url":"http://127.0.0.1:9/","critical":true,"timeout_seconds":1.5}]"#,
            "snapshots.enabled": "no",
            "snapshots.dir": "/var/lib/kv snapshots",
            "snapshots.interval_seconds": "0.05",
            "snapshots.max_files": "10",
            "snapshots.max_bytes": "2MiB",
            "snapshots.max_age": "36h",
            "snapshots.compress": "true",
        ]
        #expect(Set(values.keys) == Set(KVStoreConfiguration.allKeys))
        var expected = KVStoreConfiguration(environment: .production)
        expected.server = .init(host: "::1", port: 0)
        expected.storage = .init(
            engine: .memory, path: "/var/lib/kv store", durability: .batched, syncInterval: 0.25,
            maxValueBytes: 2 << 20, quotaBytes: 1 << 30
        )
        expected.logging = .init(
            level: .notice, format: .json, slowRequestMilliseconds: 0, performanceLog: true, databaseLog: true
        )
        expected.metrics = .init(
            enabled: false, port: 9100, durationBuckets: [0.5, 1], sizeBuckets: [10], maxSeriesPerFamily: 1
        )
        expected.node = .init(id: "kv-1.eu_west")
        expected.health = .init(
            intervalSeconds: 0.5, timeoutSeconds: 0.25, failureThreshold: 5, successThreshold: 2,
            memoryLimitMB: 2048, memoryDegradedRatio: 1, threadLimit: 500, diskMinFreeBytes: 0,
            dependencies: [.init(name: "up", url: "http://127.0.0.1:9/", critical: true, timeoutSeconds: 1.5)]
        )
        expected.snapshots = .init(
            enabled: false, directory: "/var/lib/kv snapshots", intervalSeconds: 0.05, maxFiles: 10,
            maxBytes: 2 << 20, maxAgeSeconds: 36 * 3600, compress: true
        )

        #expect(try load(overrides: values) == expected)
        let variables = Dictionary(
            uniqueKeysWithValues: values.map { (ConfigurationLoader.environmentVariable(forKey: $0.key), $0.value) }
        )
        #expect(try load(environment: variables) == expected)
        var yaml = "environment: production\n"
        for section in ["server", "storage", "logging", "metrics", "node", "health", "snapshots"] {
            yaml += "\(section):\n"
            for (key, value) in values.sorted(by: { $0.key < $1.key }) where key.hasPrefix(section + ".") {
                // Single quotes: the dependencies' JSON holds double quotes.
                yaml += "  \(key.dropFirst(section.count + 1)): '\(value)'\n"
            }
        }
        #expect(try load(yaml: yaml) == expected)
    }

    @Test func environmentVariableNamesFollowTheKeys() {
        #expect(ConfigurationLoader.environmentVariable(forKey: "server.port") == "KVSTORE_SERVER_PORT")
        #expect(
            ConfigurationLoader.environmentVariable(forKey: "storage.max_value_bytes")
                == "KVSTORE_STORAGE_MAX_VALUE_BYTES"
        )
        #expect(ConfigurationLoader.environmentVariable(forKey: "environment") == "KVSTORE_ENVIRONMENT")
        #expect(ConfigurationLoader.allKeys == KVStoreConfiguration.allKeys)
    }
}
