import KVConfiguration
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The host name as the operating system reports it.
private func currentHostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

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
        #expect(configuration.node.id == KVStoreConfiguration.Node.defaultID)
        #expect(configuration.health.intervalSeconds == 10)
        #expect(configuration.health.timeoutSeconds == 2)
        #expect(configuration.health.failureThreshold == 3)
        #expect(configuration.health.successThreshold == 1)
        #expect(configuration.health.memoryLimitMB == 1024)
        #expect(configuration.health.memoryLimitBytes == 1_073_741_824)
        #expect(configuration.health.memoryDegradedRatio == 0.9)
        #expect(configuration.health.threadLimit == 10_000)
        #expect(configuration.health.diskMinFreeBytes == 536_870_912)
        #expect(configuration.health.dependencies == [])
        #expect(configuration.snapshots.enabled)
        #expect(configuration.snapshots.directory == "./snapshots")
        #expect(configuration.snapshots.intervalSeconds == 15)
        #expect(configuration.snapshots.maxFiles == 5760)
        #expect(configuration.snapshots.maxBytes == 1_073_741_824)
        #expect(configuration.snapshots.maxAgeSeconds == 604_800)
        #expect(configuration.snapshots.compress == false)
    }

    @Test func nodeHealthSnapshotAlertSecurityAndDashboardDefaultsAreTheSameInEveryProfile() {
        let development = KVStoreConfiguration(environment: .development)
        let production = KVStoreConfiguration(environment: .production)
        #expect(production.node == development.node)
        #expect(production.health == development.health)
        #expect(production.snapshots == development.snapshots)
        #expect(development.health == KVStoreConfiguration.Health())
        #expect(development.snapshots == KVStoreConfiguration.Snapshots())
        #expect(production.alerts == development.alerts)
        // Only the rate limit differs: on in production.
        var productionSecurity = production.security
        productionSecurity.rateLimit.requestsPerSecond = development.security.rateLimit.requestsPerSecond
        #expect(productionSecurity == development.security)
        #expect(production.security.rateLimit.requestsPerSecond == 1000)
        #expect(production.dashboard == development.dashboard)
        #expect(development.alerts == KVStoreConfiguration.Alerts())
        #expect(development.security == KVStoreConfiguration.Security())
        #expect(development.dashboard == KVStoreConfiguration.Dashboard())
    }

    @Test func defaultNodeIDIsTheHostNameMadeSafeForFileNames() {
        let id = KVStoreConfiguration.Node.defaultID
        #expect(KVStoreConfiguration.Node.isValidID(id), "\(id)")
        let hostName = currentHostName()
        if !hostName.isEmpty {
            // Each character is the host name's own, or `-` where that one is not allowed.
            #expect(id.count == min(hostName.count, KVStoreConfiguration.Node.maximumIDLength))
            for (idCharacter, hostCharacter) in zip(id, hostName) {
                #expect(idCharacter == hostCharacter || idCharacter == "-", "\(id) from \(hostName)")
            }
        }
    }

    @Test func nodeIDValidity() {
        #expect(KVStoreConfiguration.Node.isValidID("kv-1.eu_west.example.com"))
        #expect(KVStoreConfiguration.Node.isValidID(String(repeating: "a", count: 64)))
        for bad in ["", "a b", "a/b", "a\\b", "nœud", "a:b", String(repeating: "a", count: 65)] {
            #expect(!KVStoreConfiguration.Node.isValidID(bad), "\(bad)")
        }
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
