import Foundation

/// The latest result of one health check, as probes, snapshots and the dashboard see it.
public struct HealthCheckReport: Codable, Sendable, Equatable {
    /// The check's name (`storage`, `memory`, a dependency's name, ...).
    public var name: String
    /// What kind of check this is: `storage`, `memory`, `threads`, `disk`, `dependency`, `snapshots`, ...
    public var kind: String
    /// The effective status, after the failure and success thresholds.
    public var status: HealthStatus
    /// One human-readable sentence.
    public var message: String
    /// How long the last run took, in milliseconds.
    public var durationMilliseconds: Double
    /// Measurements of the last run (operation time, sizes, counts, limits).
    public var details: [String: HealthDetailValue]
    /// A failing critical check makes the server unhealthy; a non-critical one only degraded.
    public var critical: Bool
    /// When the last run finished (RFC 3339, UTC); nil when it has never completed.
    public var time: String?
    /// Failed runs in a row.
    public var consecutiveFailures: Int

    public init(
        name: String, kind: String, status: HealthStatus, message: String, durationMilliseconds: Double,
        details: [String: HealthDetailValue] = [:], critical: Bool, time: String?, consecutiveFailures: Int = 0
    ) {
        self.name = name
        self.kind = kind
        self.status = status
        self.message = message
        self.durationMilliseconds = durationMilliseconds
        self.details = details
        self.critical = critical
        self.time = time
        self.consecutiveFailures = consecutiveFailures
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, status, message, details, critical, time
        case durationMilliseconds = "duration_ms"
        case consecutiveFailures = "consecutive_failures"
    }
}

/// Counts of checks by status.
public struct HealthSummary: Codable, Sendable, Equatable {
    public var total: Int
    public var healthy: Int
    public var degraded: Int
    public var unhealthy: Int

    public init(total: Int, healthy: Int, degraded: Int, unhealthy: Int) {
        self.total = total
        self.healthy = healthy
        self.degraded = degraded
        self.unhealthy = unhealthy
    }
}

/// Facts about the process and machine, reported with health.
public struct SystemInfo: Codable, Sendable, Equatable {
    public var swiftVersion: String
    public var os: String
    public var cpuCount: Int
    public var memoryTotalBytes: Double
    public var residentMemoryBytes: Double
    public var threads: Int
    public var pid: Int
    public var hostname: String

    public init(swiftVersion: String, os: String, cpuCount: Int, memoryTotalBytes: Double, residentMemoryBytes: Double,
                threads: Int, pid: Int, hostname: String) {
        self.swiftVersion = swiftVersion
        self.os = os
        self.cpuCount = cpuCount
        self.memoryTotalBytes = memoryTotalBytes
        self.residentMemoryBytes = residentMemoryBytes
        self.threads = threads
        self.pid = pid
        self.hostname = hostname
    }

    enum CodingKeys: String, CodingKey {
        case os, threads, pid, hostname
        case swiftVersion = "swift_version"
        case cpuCount = "cpu_count"
        case memoryTotalBytes = "memory_total_bytes"
        case residentMemoryBytes = "resident_memory_bytes"
    }
}

/// The aggregated health of the server: the seed's `/api/v1/health` shape.
public struct HealthReport: Codable, Sendable, Equatable {
    /// Any failing critical check → unhealthy; any other failure or warning → degraded.
    public var status: HealthStatus
    public var version: String
    public var uptimeSeconds: Double
    /// Keyed by check name.
    public var checks: [String: HealthCheckReport]
    public var summary: HealthSummary
    public var system: SystemInfo
    /// When this report was assembled (RFC 3339, UTC).
    public var time: String

    public init(status: HealthStatus, version: String, uptimeSeconds: Double, checks: [String: HealthCheckReport],
                summary: HealthSummary, system: SystemInfo, time: String) {
        self.status = status
        self.version = version
        self.uptimeSeconds = uptimeSeconds
        self.checks = checks
        self.summary = summary
        self.system = system
        self.time = time
    }

    enum CodingKeys: String, CodingKey {
        case status, version, checks, summary, system, time
        case uptimeSeconds = "uptime_seconds"
    }
}
