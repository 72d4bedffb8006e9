import KVConfiguration
import Testing

@Suite struct DefaultsTests {
    @Test func embeddedDefaultsAreTheDevelopmentProfile() {
        let configuration = KVStoreConfiguration()
        #expect(configuration.environment == .development)
        #expect(configuration.server == .init(host: "127.0.0.1", port: 8080))
        #expect(configuration.storage.engine == .lmdb)
        #expect(configuration.storage.path == "./data")
        #expect(configuration.storage.durability == .always)
        #expect(configuration.storage.syncInterval == 1)
        #expect(configuration.storage.maxValueBytes == 1_048_576)
        #expect(configuration.storage.quotaBytes == 8_589_934_592)
        #expect(configuration.logging.level == .debug)
        #expect(configuration.logging.format == .logfmt)
        #expect(configuration.logging.slowRequestMilliseconds == 500)
        #expect(configuration.logging.performanceLog)
        #expect(configuration.logging.databaseLog)
        #expect(configuration.metrics.enabled)
        #expect(configuration.metrics.port == nil)
        #expect(configuration.metrics.durationBuckets.first == 0.0001)
        #expect(configuration.metrics.durationBuckets.last == 10)
        #expect(configuration.metrics.durationBuckets.count == 16)
        #expect(configuration.metrics.sizeBuckets == [64, 256, 1024, 4096, 16384, 65536, 262_144, 1_048_576, 4_194_304])
        #expect(configuration.metrics.maxSeriesPerFamily == 1000)
    }

    @Test func loadingNothingGivesTheEmbeddedDefaults() throws {
        #expect(try load() == KVStoreConfiguration())
    }

    @Test func productionProfileSetsItsDefaults() throws {
        let configuration = try load(environment: ["KVSTORE_ENVIRONMENT": "production"])
        #expect(configuration.environment == .production)
        #expect(configuration.logging.level == .info)
        #expect(configuration.logging.performanceLog == false)
        #expect(configuration.logging.databaseLog == false)
        #expect(configuration.metrics.port == 2112)
        #expect(configuration == KVStoreConfiguration(environment: .production))
        // Keys outside the profile keep the embedded defaults.
        #expect(configuration.server == KVStoreConfiguration().server)
        #expect(configuration.storage == KVStoreConfiguration().storage)
    }

    @Test func developmentProfileSetsItsDefaults() throws {
        let configuration = try load(yaml: "environment: development\n")
        #expect(configuration.logging.level == .debug)
        #expect(configuration.logging.performanceLog)
        #expect(configuration.logging.databaseLog)
        #expect(configuration.metrics.port == nil)
    }

    @Test func explicitValuesWinOverTheProfile() throws {
        let configuration = try load(
            yaml: """
                environment: production
                logging:
                  level: warning
                  enable_database_logging: true
                metrics:
                  port: null
                """
        )
        #expect(configuration.environment == .production)
        #expect(configuration.logging.level == .warning)
        #expect(configuration.logging.databaseLog)
        #expect(configuration.logging.performanceLog == false)  // still the profile's
        #expect(configuration.metrics.port == nil)
    }

    @Test func environmentChosenByAHigherLayerPicksTheProfile() throws {
        let fromFlag = try load(
            yaml: "environment: development\n",
            environment: ["KVSTORE_ENVIRONMENT": "development"],
            overrides: ["environment": "production"]
        )
        #expect(fromFlag.environment == .production)
        #expect(fromFlag.logging.level == .info)
        #expect(fromFlag.metrics.port == 2112)
    }

    @Test func emptyFilesAndEmptySectionsAreFine() throws {
        #expect(try load(yaml: "") == KVStoreConfiguration())
        #expect(try load(yaml: "# only a comment\n") == KVStoreConfiguration())
        #expect(try load(yaml: "server:\nstorage:\n  # path: /x\n") == KVStoreConfiguration())
    }
}
