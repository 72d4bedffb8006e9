#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import KVSnapshot

/// Free space on the file systems holding the given folders: degraded when any has less than
/// `minimumFreeBytes` free or cannot be read. Details per volume: `NAME.path`,
/// `NAME.free_bytes`, `NAME.total_bytes` (or `NAME.error`), plus `minimum_free_bytes`.
public struct DiskHealthCheck: HealthCheck {
    /// A folder to watch, under a short name (`data`, `snapshots`).
    public struct Volume: Sendable, Equatable {
        public var name: String
        public var path: String

        public init(name: String, path: String) {
            self.name = name
            self.path = path
        }
    }

    /// Space on one file system, as an unprivileged process sees it.
    public struct Usage: Sendable, Equatable {
        public var freeBytes: Double
        public var totalBytes: Double

        public init(freeBytes: Double, totalBytes: Double) {
            self.freeBytes = freeBytes
            self.totalBytes = totalBytes
        }
    }

    public let name: String
    public var kind: String { "disk" }
    public let critical: Bool
    public let includedInLiveness: Bool
    public let interval: Duration
    public let timeout: Duration
    public let volumes: [Volume]
    /// Less free space than this on any volume degrades the check.
    public let minimumFreeBytes: Double
    private let usage: @Sendable (String) -> Usage?

    /// Creates the check; `usage` defaults to `statvfs`.
    public init(
        name: String = "disk",
        volumes: [Volume],
        minimumFreeBytes: Double = 100 * 1024 * 1024,
        critical: Bool = false,
        includedInLiveness: Bool = true,
        interval: Duration = .seconds(30),
        timeout: Duration = .seconds(2),
        usage: @escaping @Sendable (String) -> Usage? = DiskHealthCheck.statvfsUsage
    ) {
        self.name = name
        self.volumes = volumes
        self.minimumFreeBytes = minimumFreeBytes
        self.critical = critical
        self.includedInLiveness = includedInLiveness
        self.interval = interval
        self.timeout = timeout
        self.usage = usage
    }

    public func run() async -> HealthCheckOutcome {
        var details: [String: HealthDetailValue] = ["minimum_free_bytes": .number(self.minimumFreeBytes)]
        var problems: [String] = []
        var summaries: [String] = []
        for volume in self.volumes {
            details["\(volume.name).path"] = .string(volume.path)
            guard let usage = self.usage(volume.path) else {
                details["\(volume.name).error"] = .string("cannot read free space")
                problems.append("\(volume.name) (\(volume.path)) cannot be read")
                continue
            }
            details["\(volume.name).free_bytes"] = .number(usage.freeBytes)
            details["\(volume.name).total_bytes"] = .number(usage.totalBytes)
            summaries.append("\(volume.name) \(HealthText.bytes(usage.freeBytes)) free")
            if usage.freeBytes < self.minimumFreeBytes {
                problems.append("\(volume.name) has \(HealthText.bytes(usage.freeBytes)) free")
            }
        }
        if !problems.isEmpty {
            let minimum = HealthText.bytes(self.minimumFreeBytes)
            return .warn("Disk space is low: \(problems.joined(separator: ", ")) (minimum \(minimum))", details: details)
        }
        return .pass("Disk space is sufficient: \(summaries.joined(separator: ", "))", details: details)
    }

    /// Free (available to unprivileged users) and total bytes of the file system holding `path`.
    @Sendable public static func statvfsUsage(_ path: String) -> Usage? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        let blockSize = Double(stats.f_frsize)
        return Usage(freeBytes: Double(stats.f_bavail) * blockSize, totalBytes: Double(stats.f_blocks) * blockSize)
    }
}
