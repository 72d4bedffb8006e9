import Foundation
import KVTestSupport
import KVSnapshot

/// Builds snapshots with chosen values for the tests.
enum Fixture {
    static let start = 1_795_000_000.0 // 2026-11-18T...Z, a whole minute

    static func time(_ offset: Double) -> String {
        SnapshotTime.format(Date(timeIntervalSince1970: start + offset))
    }

    static func check(_ name: String, _ status: HealthStatus, message: String = "ok", kind: String = "storage",
                      time: String? = nil) -> HealthCheckReport {
        HealthCheckReport(name: name, kind: kind, status: status, message: message, durationMilliseconds: 1.5,
                          critical: true, time: time)
    }

    static func snapshot(
        offset: Double, uptime: Double, sequence: UInt64 = 1, node: String = "node-1",
        requests: [(code: String, value: Double)] = [],
        latency: [(le: Double, count: UInt64)]? = nil,
        memory: Double = 64 * 1_048_576, threads: Double = 12, storageBytes: Double = 10 * 1_048_576, keys: Double = 1234,
        checks: [HealthCheckReport] = [check("storage", .healthy)], alerts: [AlertSnapshot] = []
    ) -> Snapshot {
        var metrics = [
            MetricFamilySnapshot(name: "kvstore_http_requests_total", help: "requests", type: .counter,
                                 labelNames: ["method", "route", "code"],
                                 samples: requests.map {
                                     MetricSample(labels: ["method": "GET", "route": "/api/v1/kv/{key}", "code": $0.code], value: $0.value)
                                 }),
            MetricFamilySnapshot(name: "process_resident_memory_bytes", help: "rss", type: .gauge, samples: [MetricSample(value: memory)]),
            MetricFamilySnapshot(name: "kvstore_threads", help: "threads", type: .gauge, samples: [MetricSample(value: threads)]),
            MetricFamilySnapshot(name: "kvstore_storage_size_bytes", help: "size", type: .gauge, samples: [MetricSample(value: storageBytes)]),
            MetricFamilySnapshot(name: "kvstore_storage_keys", help: "keys", type: .gauge, samples: [MetricSample(value: keys)]),
        ]
        if let latency {
            let buckets = latency.map { HistogramBucket(upperBound: $0.le, cumulativeCount: $0.count) }
            metrics.append(MetricFamilySnapshot(
                name: "kvstore_request_duration_seconds", help: "latency", type: .histogram, unit: "seconds",
                labelNames: ["method", "route"],
                samples: [MetricSample(labels: ["method": "GET", "route": "/api/v1/kv/{key}"], buckets: buckets, sum: 1,
                                       count: buckets.last?.cumulativeCount ?? 0)]))
        }
        let statuses = checks.map(\.status)
        let overall = statuses.max() ?? .healthy
        let health = HealthReport(
            status: overall, version: "1.2.3", uptimeSeconds: uptime,
            checks: Dictionary(uniqueKeysWithValues: checks.map { ($0.name, $0) }),
            summary: HealthSummary(total: checks.count, healthy: statuses.filter { $0 == .healthy }.count,
                                   degraded: statuses.filter { $0 == .degraded }.count,
                                   unhealthy: statuses.filter { $0 == .unhealthy }.count),
            system: SystemInfo(swiftVersion: "6.3.1", os: "Linux", cpuCount: 2, memoryTotalBytes: 8e9,
                               residentMemoryBytes: memory, threads: Int(threads), pid: 42, hostname: node),
            time: time(offset))
        return Snapshot(sequence: sequence, nodeID: node, time: Date(snapshotTime: time(offset)), version: "1.2.3", uptimeSeconds: uptime,
                        health: health, metrics: metrics,
                        storage: StorageSnapshot(engine: "lmdb", entries: Int(keys), bytesOnDisk: Int(storageBytes),
                                                 bytesInUse: Int(storageBytes), mapSizeBytes: 1 << 30, quotaBytes: 1 << 29,
                                                 pageSize: 4096, durability: "fsync"),
                        alerts: alerts)
    }

    /// Writes `snapshots` as an archive folder the way the server names files; returns the folder.
    static func writeArchive(_ snapshots: [Snapshot], extraFiles: [String: String] = [:]) throws -> TemporaryFolder {
        let archive = TemporaryFolder("archive")
        let folder = archive.url
        let codec = SnapshotCodec()
        for snapshot in snapshots {
            let name = SnapshotFileName(node: snapshot.nodeID, sequence: snapshot.sequence,
                                        time: snapshot.time).description
            try codec.encode(snapshot).write(to: folder.appendingPathComponent(name))
        }
        for (name, text) in extraFiles {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
        return archive
    }

    static var templatesFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("templates")
    }

    /// Runs `/usr/bin/xmllint --noout` on `file`; returns its exit status and error output.
    static func xmllint(_ file: URL) throws -> (status: Int32, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
        process.arguments = ["--noout", "--nonet", file.path]
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
