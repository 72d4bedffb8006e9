import Foundation
import KVSnapshot
import Testing

@testable import KVMonitoring

@Suite struct ResourceHealthCheckTests {
    struct Reading: Sendable, CustomTestStringConvertible {
        let value: Double?
        let status: HealthStatus
        let message: String
        var testDescription: String { "\(self.value.map { "\($0)" } ?? "unreadable") → \(self.status)" }
    }

    static let mebibyte = 1024.0 * 1024

    static let memoryReadings: [Reading] = [
        Reading(value: 512 * mebibyte, status: .healthy, message: "Memory usage is normal: 512 MiB of 1 GiB (50%)"),
        Reading(value: 921.5 * mebibyte, status: .healthy, message: "Memory usage is normal: 921.5 MiB of 1 GiB (90%)"),
        Reading(value: 921.6 * mebibyte, status: .degraded, message: "Memory usage is high: 921.6 MiB of 1 GiB (90%)"),
        Reading(value: 1024 * mebibyte, status: .degraded, message: "Memory usage is high: 1 GiB of 1 GiB (100%)"),
        Reading(value: 1100 * mebibyte, status: .unhealthy, message: "Memory usage is over the limit: 1.1 GiB of 1 GiB (107%)"),
        Reading(value: nil, status: .degraded, message: "Resident memory could not be read"),
    ]

    @Test(arguments: memoryReadings)
    func memoryCheckComparesResidentMemoryWithTheLimit(_ reading: Reading) async {
        let check = MemoryHealthCheck(limitMegabytes: 1024, degradedRatio: 0.9, residentBytes: { reading.value })
        let outcome = await check.run()
        #expect(outcome.status == reading.status)
        #expect(outcome.message == reading.message)
        #expect(outcome.details["limit_bytes"] == .number(1024 * Self.mebibyte))
        if let value = reading.value {
            #expect(outcome.details["resident_bytes"] == .number(value))
            #expect(outcome.details["usage_ratio"] == .number((value / (1024 * Self.mebibyte) * 10000).rounded() / 10000))
        }
    }

    static let threadReadings: [Reading] = [
        Reading(value: 12, status: .healthy, message: "Thread count is normal: 12 of 100 (12%)"),
        Reading(value: 89, status: .healthy, message: "Thread count is normal: 89 of 100 (89%)"),
        Reading(value: 90, status: .degraded, message: "Thread count is high: 90 of 100 (90%)"),
        Reading(value: 100, status: .degraded, message: "Thread count is high: 100 of 100 (100%)"),
        Reading(value: 101, status: .unhealthy, message: "Thread count is over the limit: 101 of 100 (101%)"),
        Reading(value: nil, status: .degraded, message: "Thread count could not be read"),
    ]

    @Test(arguments: threadReadings)
    func threadCheckComparesThreadsWithTheLimit(_ reading: Reading) async {
        let check = ThreadHealthCheck(limit: 100, threadCount: { reading.value })
        let outcome = await check.run()
        #expect(outcome.status == reading.status)
        #expect(outcome.message == reading.message)
        if let value = reading.value {
            #expect(outcome.details == ["threads": .number(value), "limit": 100, "usage_ratio": .number(value / 100)])
        }
    }

    @Test func diskCheckPassesWithEnoughSpaceEverywhere() async {
        let check = DiskHealthCheck(
            volumes: [.init(name: "data", path: "/var/lib/kvstore"), .init(name: "snapshots", path: "/srv/snapshots")],
            minimumFreeBytes: 100 * Self.mebibyte,
            usage: { path in
                path == "/var/lib/kvstore"
                    ? .init(freeBytes: 2 * 1024 * Self.mebibyte, totalBytes: 8 * 1024 * Self.mebibyte)
                    : .init(freeBytes: 150 * Self.mebibyte, totalBytes: 1024 * Self.mebibyte)
            }
        )
        let outcome = await check.run()
        #expect(outcome.status == .healthy)
        #expect(outcome.message == "Disk space is sufficient: data 2 GiB free, snapshots 150 MiB free")
        #expect(
            outcome.details == [
                "minimum_free_bytes": .number(100 * Self.mebibyte),
                "data.path": "/var/lib/kvstore", "data.free_bytes": .number(2 * 1024 * Self.mebibyte),
                "data.total_bytes": .number(8 * 1024 * Self.mebibyte),
                "snapshots.path": "/srv/snapshots", "snapshots.free_bytes": .number(150 * Self.mebibyte),
                "snapshots.total_bytes": .number(1024 * Self.mebibyte),
            ])
    }

    @Test func diskCheckDegradesWhenAVolumeIsLowOrUnreadable() async {
        let check = DiskHealthCheck(
            volumes: [.init(name: "data", path: "/data"), .init(name: "snapshots", path: "/missing")],
            minimumFreeBytes: 100 * Self.mebibyte,
            usage: { path in path == "/data" ? .init(freeBytes: 50 * Self.mebibyte, totalBytes: 1024 * Self.mebibyte) : nil }
        )
        let outcome = await check.run()
        #expect(outcome.status == .degraded)
        #expect(outcome.message == "Disk space is low: data has 50 MiB free, snapshots (/missing) cannot be read (minimum 100 MiB)")
        #expect(outcome.details["snapshots.error"] == "cannot read free space")
        #expect(outcome.details["snapshots.free_bytes"] == nil)
    }

    @Test(.enabled(if: ProcessMetricsCollector().read().residentMemoryBytes != nil, "needs /proc"))
    func realProcReadingsAreJudgedAgainstTheLimitsGiven() async throws {
        let resident = try #require(ProcessMetricsCollector().read().residentMemoryBytes)
        #expect(resident > 1_000_000)
        // Limits far above and far below what any process uses: the verdict follows the limit, not the host.
        let roomy = await MemoryHealthCheck(limitMegabytes: 1_000_000_000).run()
        #expect(roomy.status == .healthy)
        let measured = try #require(roomy.details["resident_bytes"].flatMap(\.number))
        #expect(measured > resident / 2 && measured < resident * 2)
        let tight = await MemoryHealthCheck(limitMegabytes: 0.5).run()
        #expect(tight.status == .unhealthy)
        #expect(tight.message.hasPrefix("Memory usage is over the limit"))

        let threads = await ThreadHealthCheck(limit: 1 << 30).run()
        #expect(threads.status == .healthy)
        #expect((threads.details["threads"].flatMap(\.number) ?? 0) >= 1)
        let noThreads = await ThreadHealthCheck(limit: 0).run()
        #expect(noThreads.status == .unhealthy)

        let tmp = [DiskHealthCheck.Volume(name: "tmp", path: NSTemporaryDirectory())]
        let anySpace = await DiskHealthCheck(volumes: tmp, minimumFreeBytes: 0).run()
        #expect(anySpace.status == .healthy)
        let free = try #require(anySpace.details["tmp.free_bytes"].flatMap(\.number))
        let total = try #require(anySpace.details["tmp.total_bytes"].flatMap(\.number))
        #expect(total > 0 && free <= total)
        let moreThanTheDisk = await DiskHealthCheck(volumes: tmp, minimumFreeBytes: total + 1).run()
        #expect(moreThanTheDisk.status == .degraded)
        #expect(moreThanTheDisk.message.hasPrefix("Disk space is low: tmp has"))
        #expect(DiskHealthCheck.statvfsUsage("/no/such/folder/\(UUID())") == nil)

        let system = SystemInfoReader().read()
        #expect(system.cpuCount >= 1)
        #expect(system.residentMemoryBytes > 1_000_000)
        #expect(system.threads >= 1)
        #expect(system.memoryTotalBytes > system.residentMemoryBytes)
        #expect(system.pid == Int(ProcessInfo.processInfo.processIdentifier))
        #expect(!system.hostname.isEmpty)
        #expect(!system.os.isEmpty)
    }

    @Test func closureCheckRunsItsClosureWithItsFlags() async {
        let check = ClosureHealthCheck(
            name: "snapshots", kind: "snapshots", critical: false, includedInLiveness: false, interval: .seconds(60), timeout: .seconds(5)
        ) {
            .warn("last snapshot is 3 minutes old")
        }
        #expect(await check.run() == .warn("last snapshot is 3 minutes old"))
        #expect(check.name == "snapshots" && check.kind == "snapshots" && !check.critical && !check.includedInLiveness)
        #expect(check.interval == .seconds(60) && check.timeout == .seconds(5))
    }
}
