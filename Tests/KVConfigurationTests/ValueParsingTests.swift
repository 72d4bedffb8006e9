import KVConfiguration
import Testing

@Suite struct ValueParsingTests {
    @Test func listsParseFromYAMLSequences() throws {
        let flow = try load(yaml: "metrics:\n  duration_buckets: [0.001, 0.01, 1]\n")
        #expect(flow.metrics.durationBuckets == [0.001, 0.01, 1])
        let block = try load(yaml: "metrics:\n  size_buckets:\n    - 100\n    - 1000\n")
        #expect(block.metrics.sizeBuckets == [100, 1000])
    }

    @Test func listsParseFromCommaSeparatedText() throws {
        let fromEnvironment = try load(environment: ["KVSTORE_METRICS_DURATION_BUCKETS": "0.01, 0.1,1"])
        #expect(fromEnvironment.metrics.durationBuckets == [0.01, 0.1, 1])
        let fromOverride = try load(overrides: ["metrics.size_buckets": "5"])
        #expect(fromOverride.metrics.sizeBuckets == [5])
        let fromFileString = try load(yaml: "metrics:\n  size_buckets: \"1,2,3\"\n")
        #expect(fromFileString.metrics.sizeBuckets == [1, 2, 3])
    }

    @Test(arguments: ["", "none", "None", " "])
    func metricsPortNoneInEnvironmentMeansNoListener(value: String) throws {
        let configuration = try load(environment: ["KVSTORE_ENVIRONMENT": "production", "KVSTORE_METRICS_PORT": value])
        #expect(configuration.metrics.port == nil)
    }

    @Test(arguments: ["metrics:\n  port:\n", "metrics:\n  port: ~\n", "metrics:\n  port: null\n"])
    func metricsPortNullInFileMeansNoListener(yaml: String) throws {
        let configuration = try load(yaml: "environment: production\n" + yaml)
        #expect(configuration.metrics.port == nil)
    }

    @Test(arguments: [
        ("1048576", 1_048_576), ("1_048_576", 1_048_576), ("64KiB", 65536), ("2 MiB", 2_097_152),
        ("64mib", 67_108_864), ("1", 1),
    ])
    func byteCountsAcceptBinarySuffixes(text: String, bytes: Int) throws {
        let configuration = try load(overrides: ["storage.max_value_bytes": text])
        #expect(configuration.storage.maxValueBytes == bytes)
    }

    @Test(arguments: [("true", true), ("FALSE", false), ("yes", true), ("off", false), ("1", true), ("0", false)])
    func booleansAcceptCommonSpellings(text: String, value: Bool) throws {
        #expect(try load(environment: ["KVSTORE_METRICS_ENABLED": text]).metrics.enabled == value)
    }

    @Test func enumValuesIgnoreCase() throws {
        let configuration = try load(yaml: "logging:\n  level: WARNING\n  format: Json\n")
        #expect(configuration.logging.level == .warning)
        #expect(configuration.logging.format == .json)
    }

    @Test func levelNamesAreSwiftLogLevelNames() {
        #expect(
            KVStoreConfiguration.Logging.Level.allCases.map(\.rawValue)
                == ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        )
    }

    @Test func valuesRenderAsTheySpellInAVariable() {
        var configuration = KVStoreConfiguration(environment: .production)
        configuration.metrics.sizeBuckets = [1, 2.5]
        #expect(configuration.value(forKey: "metrics.port") == "2112")
        #expect(configuration.value(forKey: "metrics.size_buckets") == "1, 2.5")
        #expect(configuration.value(forKey: "storage.durability") == "always")
        #expect(KVStoreConfiguration().value(forKey: "metrics.port") == "none")
        #expect(KVStoreConfiguration().value(forKey: "server.prot") == nil)
    }

    @Test(arguments: [
        ("7d", 604_800.0), ("36h", 129_600), ("90m", 5400), ("45s", 45), ("45", 45), ("1.5", 1.5),
        ("1.5h", 5400), ("2 D", 172_800), (" 10M ", 600),
    ])
    func durationsAcceptSecondsAndUnits(text: String, seconds: Double) throws {
        #expect(try load(overrides: ["snapshots.max_age": text]).snapshots.maxAgeSeconds == seconds)
    }

    @Test(arguments: [
        (604_800.0, "7d"), (86400, "1d"), (129_600, "36h"), (5400, "90m"), (60, "1m"), (90, "90s"), (1.5, "1.5s"),
    ])
    func durationsRenderInTheLargestExactUnit(seconds: Double, text: String) throws {
        var configuration = KVStoreConfiguration()
        configuration.snapshots.maxAgeSeconds = seconds
        #expect(configuration.value(forKey: "snapshots.max_age") == text)
        #expect(try load(overrides: ["snapshots.max_age": text]).snapshots.maxAgeSeconds == seconds)
    }

    @Test func snapshotIntervalsMayBeFractionsDownToOneHundredth() throws {
        #expect(try load(yaml: "snapshots:\n  interval_seconds: 0.05\n").snapshots.intervalSeconds == 0.05)
        #expect(try load(environment: ["KVSTORE_SNAPSHOTS_INTERVAL_SECONDS": "0.01"]).snapshots.intervalSeconds == 0.01)
    }

    @Test(arguments: [("0.5", 0.5), ("1", 1.0), ("0.001", 0.001)])
    func memoryDegradedRatioIsAShareUpToOne(text: String, ratio: Double) throws {
        #expect(try load(overrides: ["health.memory_degraded_ratio": text]).health.memoryDegradedRatio == ratio)
    }

    @Test func newByteCountsAcceptBinarySuffixes() throws {
        let configuration = try load(
            yaml: "health:\n  disk_min_free_bytes: 2GiB\nsnapshots:\n  max_bytes: 1 MiB\n"
        )
        #expect(configuration.health.diskMinFreeBytes == 2 << 30)
        #expect(configuration.snapshots.maxBytes == 1 << 20)
    }

    @Test func nodeIDIsTakenAsWritten() throws {
        #expect(try load(yaml: "node:\n  id: Kv-1.eu_west\n").node.id == "Kv-1.eu_west")
        #expect(try load(environment: ["KVSTORE_NODE_ID": "10.0.0.7"]).node.id == "10.0.0.7")
    }

    @Test func renderedValuesLoadBackToTheSameConfiguration() throws {
        for environment in KVStoreConfiguration.Environment.allCases {
            let original = KVStoreConfiguration(environment: environment)
            var overrides: [String: String] = [:]
            for key in KVStoreConfiguration.allKeys {
                overrides[key] = original.value(forKey: key)
            }
            #expect(overrides.count == KVStoreConfiguration.allKeys.count)
            #expect(try load(overrides: overrides) == original)
        }
    }

    @Test func renderedNonDefaultValuesLoadBack() throws {
        var original = KVStoreConfiguration(environment: .production)
        original.node.id = "node-7"
        original.health = .init(
            intervalSeconds: 0.25, timeoutSeconds: 0.1, failureThreshold: 2, successThreshold: 4, memoryLimitMB: 64,
            memoryDegradedRatio: 0.75, threadLimit: 50, diskMinFreeBytes: 12345,
            dependencies: [
                .init(name: "a", url: "http://127.0.0.1:9/x?y=1", critical: true, timeoutSeconds: 0.5, expectedStatus: 204),
                .init(name: "b.c_d", url: "http://[::1]:8080/"),
            ]
        )
        original.snapshots = .init(
            enabled: false, directory: "snap dir", intervalSeconds: 0.05, maxFiles: 3, maxBytes: 5 << 20,
            maxAgeSeconds: 1.5, compress: true
        )
        var overrides: [String: String] = [:]
        for key in KVStoreConfiguration.allKeys {
            overrides[key] = original.value(forKey: key)
        }
        #expect(
            overrides["health.dependencies"]
                == #"[{"name":"a","url":"http://127.0.0.1:9/x?y=1","critical":true,"timeout_seconds":0.5,"expected_status":204},"#
                + #"{"name":"b.c_d","url":"http://[::1]:8080/","critical":false,"expected_status":200}]"#
        )
        #expect(overrides["snapshots.max_age"] == "1.5s")
        #expect(try load(overrides: overrides) == original)
        #expect(KVStoreConfiguration().value(forKey: "health.dependencies") == "[]")
    }

    @Test func renderedAlertSecurityAndDashboardValuesLoadBack() throws {
        var original = KVStoreConfiguration()
        original.alerts = .init(
            enabled: false,
            rules: [
                .init(
                    name: "Slow", kind: .latencyP99, severity: "info", threshold: 1.5, windowSeconds: 90, forSeconds: 0,
                    summary: "slow \"p99\"", description: "line one\nline two"
                ),
                .init(name: "Snap", kind: .snapshots, summary: "snapshots"),
            ],
            webhooks: [.init(url: "http://[::1]:9093/hook?x=1", timeoutSeconds: 0.25, maxRetries: 10)]
        )
        original.security.healthDetails = .authorized
        original.security.corsOrigins = ["https://a.example", "http://localhost:3000"]
        original.security.idleTimeoutSeconds = 0.5
        original.security.maxConnections = 1
        original.dashboard = .init(
            enabled: false, directory: "pub dir", ranges: [.init(name: "90m", seconds: 5400), .init(name: "2.5h", seconds: 9000)], refreshSeconds: 0, timezone: "America/Sao_Paulo",
            title: "Ünïcode, \"quotes\" & <tags>", templatesDirectory: "tpl"
        )
        var overrides: [String: String] = [:]
        for key in KVStoreConfiguration.allKeys {
            overrides[key] = original.value(forKey: key)
        }
        #expect(overrides["dashboard.ranges"] == "90m, 2.5h")
        #expect(try load(overrides: overrides) == original)
    }
}
