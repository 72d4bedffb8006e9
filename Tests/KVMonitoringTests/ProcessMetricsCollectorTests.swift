import Testing

@testable import KVMonitoring

@Suite struct ProcessMetricsCollectorTests {
    @Test(.enabled(if: ProcessMetricsCollector().read().residentMemoryBytes != nil, "needs /proc"))
    func readsPlausibleValuesForThisProcess() throws {
        let stats = ProcessMetricsCollector().read()
        #expect((stats.residentMemoryBytes ?? 0) > 1_000_000)
        #expect((stats.virtualMemoryBytes ?? 0) >= (stats.residentMemoryBytes ?? 0))
        #expect((stats.threads ?? 0) >= 1)
        #expect((stats.maxFDs ?? 0) > 0)
        #expect((stats.openFDs ?? 0) >= 3)
        #expect((stats.cpuSeconds ?? -1) >= 0)
        #expect((stats.startTimeSeconds ?? 0) > 1_600_000_000)
    }

    @Test(.enabled(if: ProcessMetricsCollector().read().residentMemoryBytes != nil, "needs /proc"))
    func installedCollectorRefreshesGaugesAtEachSnapshot() throws {
        let registry = MetricsRegistry()
        try ProcessMetricsCollector().install(on: registry)
        let snapshot = registry.snapshot()
        func value(_ descriptor: MetricDescriptor) -> Double {
            snapshot.first { $0.name == descriptor.name }?.samples.first?.value ?? -1
        }
        #expect(value(KVMetrics.processResidentMemoryBytes) > 0)
        #expect(value(KVMetrics.memoryUsageBytes) > 0)
        #expect(value(KVMetrics.threads) >= 1)
        #expect(value(KVMetrics.processMaxFDs) > 0)
        #expect(value(KVMetrics.processCPUSecondsTotal) >= 0)
    }

    @Test func parsesStatWithSpacesAndParenthesesInTheCommandName() throws {
        let stat = "1234 (kv (store) x) S 1 1234 1234 0 -1 4194560 500 0 0 0 250 50 0 0 20 0 7 0 12345 "
            + "104857600 2560 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0"
        let fields = try #require(ProcessStatsParser.parseStat(stat))
        #expect(fields.cpuTicks == 300)
        #expect(fields.threads == 7)
        #expect(fields.startTicks == 12345)
        #expect(fields.virtualBytes == 104_857_600)
        #expect(fields.residentPages == 2560)
        // A field that is not a number makes the line unreadable, not a wrong figure.
        #expect(ProcessStatsParser.parseStat(stat.replacingOccurrences(of: " 250 50 ", with: " 250 5x ")) == nil)
        #expect(ProcessStatsParser.parseStat("1234 kvstore S 1 2") == nil)
    }

    @Test func parsesStatusLimitsAndBootTime() {
        #expect(ProcessStatsParser.parseThreads(status: "Name:\tkvstore\nThreads:\t12\nVmRSS:\t 100 kB\n") == 12)
        // The last line without a newline, a shorter line before it, no such line.
        #expect(ProcessStatsParser.parseThreads(status: "Thr\nThreads:\t7") == 7)
        #expect(ProcessStatsParser.parseThreads(status: "Name:\tThreads: 9\n") == nil)
        let limits = """
            Limit                     Soft Limit           Hard Limit           Units
            Max open files            1024                 524288               files
            """
        #expect(ProcessStatsParser.parseMaxOpenFiles(limits: limits) == 1024)
        #expect(ProcessStatsParser.parseMaxOpenFiles(limits: "Max open files  unlimited  unlimited  files") == .infinity)
        #expect(ProcessStatsParser.parseBootTime(stat: "cpu  1 2 3\nbtime 1700000000\nprocesses 5\n") == 1_700_000_000)
    }

    @Test func buildInfoIsOneWithItsLabels() throws {
        let registry = MetricsRegistry()
        try BuildInfo(version: "1.2.3", revision: "abc123").install(on: registry)
        let family = try #require(registry.snapshot().first { $0.name == "kvstore_build_info" })
        #expect(family.samples.count == 1)
        #expect(family.samples.first?.value == 1)
        #expect(family.samples.first?.labels == ["version": "1.2.3", "revision": "abc123", "swift_version": BuildInfo.compilerVersion])
    }
}
