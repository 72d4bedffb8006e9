import Foundation

/// Decodes a snapshot document straight from its bytes into the model, field by field, with
/// `JSONByteReader`: the archive reader's fast path (Foundation's `JSONDecoder` takes about four
/// times as long per file).
///
/// It reads what `Snapshot(from:)` reads, with the same rules (required fields, `null` for an
/// optional one, unknown keys ignored, the non-finite number strings) and returns nil whenever
/// anything is not as it expects, valid or not; `SnapshotCodec.decode` then decodes the same bytes
/// with `JSONDecoder`, so every error, and every odd-but-valid document, is judged by one decoder.
/// A test decodes real and edge-case documents both ways and compares the results byte for byte.
enum SnapshotBytesDecoder {
    typealias Reader = JSONByteReader
    private typealias Failure = JSONByteReader.Failure

    /// The snapshot, or nil when the fast path does not take this document. With `families`, only
    /// the metric families named are kept, and the samples of the others are skipped unread when
    /// their name comes first (as `SnapshotCodec` writes them: keys sorted).
    static func decode(_ data: Data, families: Set<String>? = nil) -> Snapshot? {
        data.withUnsafeBytes { bytes in
            var reader = Reader(bytes)
            do {
                let snapshot = try snapshot(&reader, families: families)
                try reader.finish()
                return snapshot
            } catch {
                return nil
            }
        }
    }

    private static func snapshot(_ reader: inout Reader, families: Set<String>?) throws -> Snapshot {
        var schema: String?, sequence: UInt64?, nodeID: String?, timeText: String?, version: String?
        var uptime: Double?, health: HealthReport?, metrics: [MetricFamilySnapshot]?, alerts: [AlertSnapshot]?
        var storage: StorageSnapshot?, cluster: ClusterSnapshot?, ruleValues: [AlertRuleValue] = []
        try reader.readObject { reader, key in
            switch key {
            case "schema": schema = try reader.readString()
            case "sequence": sequence = try reader.readUInt64()
            case "node_id": nodeID = try reader.readString()
            case "time": timeText = try reader.readString()
            case "version": version = try reader.readString()
            case "uptime_seconds": uptime = try reader.readDouble()
            case "health": health = try healthReport(&reader)
            case "metrics":
                var kept: [MetricFamilySnapshot] = []
                try reader.readArray { reader in
                    if let found = try family(&reader, keeping: families) { kept.append(found) }
                }
                metrics = kept
            case "storage": storage = try reader.readNull() ? nil : try storageSnapshot(&reader)
            case "alerts": alerts = try reader.readArray(of: alert)
            case "cluster": cluster = try reader.readNull() ? nil : try clusterSnapshot(&reader)
            case "rule_values": ruleValues = try reader.readArray(of: ruleValue)
            default: try reader.skipValue()
            }
        }
        guard let schema, let parsed = SnapshotSchema(identifier: schema), parsed.isReadable, parsed.version == 1,
              let sequence, let nodeID, let timeText, let time = SnapshotTime.parse(timeText), let version,
              let uptime, let health, let metrics, let alerts else { throw Failure() }
        return Snapshot(schema: schema, sequence: sequence, nodeID: nodeID, time: time, version: version,
                        uptimeSeconds: uptime, health: health, metrics: metrics, storage: storage, alerts: alerts,
                        cluster: cluster, ruleValues: ruleValues)
    }

    // MARK: - Metrics

    /// One family, or nil when `families` leaves it out.
    private static func family(_ reader: inout Reader, keeping families: Set<String>?) throws -> MetricFamilySnapshot? {
        var name: String?, help: String?, type: MetricType?, unit: String?, labelNames: [String]?, samples: [MetricSample]?
        try reader.readObject { reader, key in
            switch key {
            case "name": name = try reader.readString()
            case "help": help = try reader.readString()
            case "type": type = MetricType(rawValue: try reader.readString())
            case "unit": unit = try reader.readNull() ? nil : try reader.readString()
            case "label_names": labelNames = try reader.readArray { try $0.readString() }
            case "samples":
                if let families, let name, !families.contains(name) {
                    try reader.skipValue()
                    samples = []
                } else {
                    samples = try reader.readArray(of: sample)
                }
            default: try reader.skipValue()
            }
        }
        guard let name, let help, let type, let labelNames, let samples else { throw Failure() }
        if let families, !families.contains(name) { return nil }
        return MetricFamilySnapshot(name: name, help: help, type: type, unit: unit, labelNames: labelNames, samples: samples)
    }

    private static func sample(_ reader: inout Reader) throws -> MetricSample {
        var labels: [String: String]?
        var sample = MetricSample(labels: [:], value: 0)
        sample.value = nil
        try reader.readObject { reader, key in
            switch key {
            case "labels": labels = try stringDictionary(&reader)
            case "value": sample.value = try reader.readNull() ? nil : try reader.readDouble()
            case "sum": sample.sum = try reader.readNull() ? nil : try reader.readDouble()
            case "count": sample.count = try reader.readNull() ? nil : try reader.readUInt64()
            case "buckets": sample.buckets = try reader.readNull() ? nil : try reader.readArray(of: bucket)
            case "quantiles": sample.quantiles = try reader.readNull() ? nil : try reader.readArray(of: quantile)
            default: try reader.skipValue()
            }
        }
        guard let labels else { throw Failure() }
        sample.labels = labels
        return sample
    }

    private static func bucket(_ reader: inout Reader) throws -> HistogramBucket {
        var bound: Double?, count: UInt64?
        try reader.readObject { reader, key in
            switch key {
            case "le": bound = try reader.readDouble()
            case "count": count = try reader.readUInt64()
            default: try reader.skipValue()
            }
        }
        guard let bound, let count else { throw Failure() }
        return HistogramBucket(upperBound: bound, cumulativeCount: count)
    }

    private static func quantile(_ reader: inout Reader) throws -> SummaryQuantile {
        var quantile: Double?, value: Double?
        try reader.readObject { reader, key in
            switch key {
            case "quantile": quantile = try reader.readDouble()
            case "value": value = try reader.readDouble()
            default: try reader.skipValue()
            }
        }
        guard let quantile, let value else { throw Failure() }
        return SummaryQuantile(quantile: quantile, value: value)
    }

    private static func stringDictionary(_ reader: inout Reader) throws -> [String: String] {
        var dictionary: [String: String] = [:]
        try reader.readDictionary { reader, key in dictionary[key] = try reader.readString() }
        return dictionary
    }

    // MARK: - Health

    private static func healthReport(_ reader: inout Reader) throws -> HealthReport {
        var status: HealthStatus?, version: String?, uptime: Double?, checks: [String: HealthCheckReport]?
        var summary: HealthSummary?, system: SystemInfo?, time: String?
        try reader.readObject { reader, key in
            switch key {
            case "status": status = HealthStatus(rawValue: try reader.readString())
            case "version": version = try reader.readString()
            case "uptime_seconds": uptime = try reader.readDouble()
            case "checks":
                var found: [String: HealthCheckReport] = [:]
                try reader.readDictionary { reader, name in found[name] = try check(&reader) }
                checks = found
            case "summary": summary = try healthSummary(&reader)
            case "system": system = try systemInfo(&reader)
            case "time": time = try reader.readString()
            default: try reader.skipValue()
            }
        }
        guard let status, let version, let uptime, let checks, let summary, let system, let time else { throw Failure() }
        return HealthReport(status: status, version: version, uptimeSeconds: uptime, checks: checks, summary: summary,
                            system: system, time: time)
    }

    private static func check(_ reader: inout Reader) throws -> HealthCheckReport {
        var name: String?, kind: String?, status: HealthStatus?, message: String?, duration: Double?
        var details: [String: HealthDetailValue]?, critical: Bool?, time: String?, failures: Int?
        try reader.readObject { reader, key in
            switch key {
            case "name": name = try reader.readString()
            case "kind": kind = try reader.readString()
            case "status": status = HealthStatus(rawValue: try reader.readString())
            case "message": message = try reader.readString()
            case "duration_ms": duration = try reader.readDouble()
            case "details":
                var found: [String: HealthDetailValue] = [:]
                try reader.readDictionary { reader, name in found[name] = try detail(&reader) }
                details = found
            case "critical": critical = try reader.readBool()
            case "time": time = try reader.readNull() ? nil : try reader.readString()
            case "consecutive_failures": failures = try reader.readInt()
            default: try reader.skipValue()
            }
        }
        guard let name, let kind, let status, let message, let duration, let details, let critical, let failures else {
            throw Failure()
        }
        return HealthCheckReport(name: name, kind: kind, status: status, message: message, durationMilliseconds: duration,
                                 details: details, critical: critical, time: time, consecutiveFailures: failures)
    }

    /// As `HealthDetailValue(from:)` decides: a Boolean, else a number (the non-finite strings
    /// included), else a string.
    private static func detail(_ reader: inout Reader) throws -> HealthDetailValue {
        if reader.nextIsBool { return .bool(try reader.readBool()) }
        guard reader.nextIsString else { return .number(try reader.readDouble()) }
        let text = try reader.readString()
        switch text {
        case SnapshotCodec.nan: return .number(.nan)
        case SnapshotCodec.positiveInfinity: return .number(.infinity)
        case SnapshotCodec.negativeInfinity: return .number(-.infinity)
        default: return .string(text)
        }
    }

    private static func healthSummary(_ reader: inout Reader) throws -> HealthSummary {
        var total: Int?, healthy: Int?, degraded: Int?, unhealthy: Int?
        try reader.readObject { reader, key in
            switch key {
            case "total": total = try reader.readInt()
            case "healthy": healthy = try reader.readInt()
            case "degraded": degraded = try reader.readInt()
            case "unhealthy": unhealthy = try reader.readInt()
            default: try reader.skipValue()
            }
        }
        guard let total, let healthy, let degraded, let unhealthy else { throw Failure() }
        return HealthSummary(total: total, healthy: healthy, degraded: degraded, unhealthy: unhealthy)
    }

    private static func systemInfo(_ reader: inout Reader) throws -> SystemInfo {
        var swift: String?, os: String?, cpus: Int?, memory: Double?, resident: Double?, threads: Int?, pid: Int?
        var hostname: String?
        try reader.readObject { reader, key in
            switch key {
            case "swift_version": swift = try reader.readString()
            case "os": os = try reader.readString()
            case "cpu_count": cpus = try reader.readInt()
            case "memory_total_bytes": memory = try reader.readDouble()
            case "resident_memory_bytes": resident = try reader.readDouble()
            case "threads": threads = try reader.readInt()
            case "pid": pid = try reader.readInt()
            case "hostname": hostname = try reader.readString()
            default: try reader.skipValue()
            }
        }
        guard let swift, let os, let cpus, let memory, let resident, let threads, let pid, let hostname else {
            throw Failure()
        }
        return SystemInfo(swiftVersion: swift, os: os, cpuCount: cpus, memoryTotalBytes: memory,
                          residentMemoryBytes: resident, threads: threads, pid: pid, hostname: hostname)
    }

    // MARK: - Storage, alerts, cluster

    private static func storageSnapshot(_ reader: inout Reader) throws -> StorageSnapshot {
        var engine: String?, entries: Int?, onDisk: Int?, inUse: Int?, mapSize: Int?, quota: Int?, page: Int?
        var durability: String?
        try reader.readObject { reader, key in
            switch key {
            case "engine": engine = try reader.readString()
            case "entries": entries = try reader.readInt()
            case "bytes_on_disk": onDisk = try reader.readInt()
            case "bytes_in_use": inUse = try reader.readInt()
            case "map_size_bytes": mapSize = try reader.readInt()
            case "quota_bytes": quota = try reader.readInt()
            case "page_size": page = try reader.readInt()
            case "durability": durability = try reader.readString()
            default: try reader.skipValue()
            }
        }
        guard let engine, let entries, let onDisk, let inUse, let mapSize, let quota, let page, let durability else {
            throw Failure()
        }
        return StorageSnapshot(engine: engine, entries: entries, bytesOnDisk: onDisk, bytesInUse: inUse,
                               mapSizeBytes: mapSize, quotaBytes: quota, pageSize: page, durability: durability)
    }

    private static func ruleValue(_ reader: inout Reader) throws -> AlertRuleValue {
        var name: String?, value: Double?, threshold: Double?
        try reader.readObject { reader, key in
            switch key {
            case "name": name = try reader.readString()
            case "value": value = try reader.readDouble()
            case "threshold": threshold = try reader.readDouble()
            default: try reader.skipValue()
            }
        }
        guard let name, let value, let threshold else { throw Failure() }
        return AlertRuleValue(name: name, value: value, threshold: threshold)
    }

    private static func alert(_ reader: inout Reader) throws -> AlertSnapshot {
        var name: String?, severity: String?, state: AlertSnapshot.State?, since: String?, value: Double?, threshold: Double?
        var summary: String?, description: String?, labels: [String: String]?
        try reader.readObject { reader, key in
            switch key {
            case "name": name = try reader.readString()
            case "severity": severity = try reader.readString()
            case "state": state = AlertSnapshot.State(rawValue: try reader.readString())
            case "active_since": since = try reader.readString()
            case "value": value = try reader.readDouble()
            case "threshold": threshold = try reader.readDouble()
            case "summary": summary = try reader.readString()
            case "description": description = try reader.readString()
            case "labels": labels = try stringDictionary(&reader)
            default: try reader.skipValue()
            }
        }
        guard let name, let severity, let state, let since, let value, let summary, let description, let labels else {
            throw Failure()
        }
        return AlertSnapshot(name: name, severity: severity, state: state, activeSince: since, value: value, threshold: threshold,
                             summary: summary, description: description, labels: labels)
    }

    private static func clusterSnapshot(_ reader: inout Reader) throws -> ClusterSnapshot {
        var members: [ClusterMemberSnapshot]?
        try reader.readObject { reader, key in
            switch key {
            case "members": members = try reader.readArray(of: member)
            default: try reader.skipValue()
            }
        }
        guard let members else { throw Failure() }
        return ClusterSnapshot(members: members)
    }

    private static func member(_ reader: inout Reader) throws -> ClusterMemberSnapshot {
        var node: String?, url: String?, version: String?, state: ClusterMemberSnapshot.State?, health: String?
        var started: String?, seen: String?
        try reader.readObject { reader, key in
            switch key {
            case "node": node = try reader.readString()
            case "url": url = try reader.readString()
            case "version": version = try reader.readString()
            case "state": state = ClusterMemberSnapshot.State(rawValue: try reader.readString())
            case "health": health = try reader.readString()
            case "started_at": started = try reader.readString()
            case "last_seen": seen = try reader.readString()
            default: try reader.skipValue()
            }
        }
        guard let node, let url, let version, let state, let health, let started, let seen else { throw Failure() }
        return ClusterMemberSnapshot(node: node, url: url, version: version, state: state, health: health,
                                     startedAt: started, lastSeen: seen)
    }
}
