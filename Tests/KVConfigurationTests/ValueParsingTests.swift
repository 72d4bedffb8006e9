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
}
