/// Reads this process's memory, CPU, file descriptors and threads from `/proc`, and keeps the
/// `process_*`, `kvstore_memory_usage_bytes` and `kvstore_threads` gauges current at each scrape.
public struct ProcessMetricsCollector: Sendable {
    /// The proc filesystem root, `/proc` unless a test points elsewhere.
    public let procRoot: String
    private let statPath, systemStatPath, statusPath, limitsPath, fdPath: String

    /// Creates a collector for the current process.
    public init(procRoot: String = "/proc") {
        self.procRoot = procRoot
        statPath = procRoot + "/self/stat"
        systemStatPath = procRoot + "/stat"
        statusPath = procRoot + "/self/status"
        limitsPath = procRoot + "/self/limits"
        fdPath = procRoot + "/self/fd"
    }

    /// Reads the current stats; fields that cannot be read (e.g. no `/proc` on macOS) are nil.
    /// `startTime` false leaves out the start time, which never changes (and costs a read and
    /// parse of `/proc/stat`).
    public func read(startTime: Bool = true) -> ProcessStats {
        var stats = ProcessStats()
        let ticks = ProcFileReader.clockTicksPerSecond
        if let text = ProcFileReader.contents(of: statPath), let stat = ProcessStatsParser.parseStat(text) {
            stats.cpuSeconds = stat.cpuTicks / ticks
            stats.virtualMemoryBytes = stat.virtualBytes
            stats.residentMemoryBytes = stat.residentPages * ProcFileReader.pageSize
            stats.threads = stat.threads
            if startTime, let system = ProcFileReader.contents(of: systemStatPath),
                let bootTime = ProcessStatsParser.parseBootTime(stat: system)
            {
                stats.startTimeSeconds = bootTime + stat.startTicks / ticks
            }
        }
        if let text = ProcFileReader.contents(of: statusPath),
            let threads = ProcessStatsParser.parseThreads(status: text)
        {
            stats.threads = threads
        }
        if let text = ProcFileReader.contents(of: limitsPath) {
            stats.maxFDs = ProcessStatsParser.parseMaxOpenFiles(limits: text)
        }
        if let count = ProcFileReader.entryCount(of: fdPath, excludingOwnFD: true) {
            stats.openFDs = Double(count)
        }
        return stats
    }

    /// Registers the process families on `registry` and refreshes them before every snapshot.
    public func install(on registry: MetricsRegistry) throws(MetricsRegistryError) {
        let resident = try registry.registerGauge(KVMetrics.processResidentMemoryBytes).labels()
        let virtual = try registry.registerGauge(KVMetrics.processVirtualMemoryBytes).labels()
        let cpu = try registry.registerCounter(KVMetrics.processCPUSecondsTotal).labels()
        let openFDs = try registry.registerGauge(KVMetrics.processOpenFDs).labels()
        let maxFDs = try registry.registerGauge(KVMetrics.processMaxFDs).labels()
        let startTime = try registry.registerGauge(KVMetrics.processStartTimeSeconds).labels()
        let memoryUsage = try registry.registerGauge(KVMetrics.memoryUsageBytes).labels()
        let threads = try registry.registerGauge(KVMetrics.threads).labels()
        let collector = self
        if let value = collector.read().startTimeSeconds { startTime.set(value) }
        registry.addCollector {
            let stats = collector.read(startTime: false)
            if let value = stats.residentMemoryBytes {
                resident.set(value)
                memoryUsage.set(value)
            }
            if let value = stats.virtualMemoryBytes { virtual.set(value) }
            if let value = stats.cpuSeconds { cpu.set(total: value) }
            if let value = stats.openFDs { openFDs.set(value) }
            if let value = stats.maxFDs { maxFDs.set(value) }
            if let value = stats.threads { threads.set(value) }
        }
    }
}
