#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import KVSnapshot

/// Reads the system information reported with health: fixed facts once, resident memory and
/// threads from `/proc/self/stat` at each `read()` (one small file, a few microseconds).
public struct SystemInfoReader: Sendable {
    /// The proc filesystem root, `/proc` unless a test points elsewhere.
    public let procRoot: String
    private let fixed: SystemInfo

    /// Creates a reader; the OS, CPU count, memory total, pid and host name are read here.
    public init(procRoot: String = "/proc") {
        self.procRoot = procRoot
        let process = ProcessInfo.processInfo
        self.fixed = SystemInfo(
            swiftVersion: BuildInfo.compilerVersion,
            os: Self.operatingSystem(),
            cpuCount: process.activeProcessorCount,
            memoryTotalBytes: Double(process.physicalMemory),
            residentMemoryBytes: 0,
            threads: 0,
            pid: Int(process.processIdentifier),
            hostname: Self.hostName()
        )
    }

    /// The current system information; memory and threads are 0 when `/proc` is missing.
    public func read() -> SystemInfo {
        var info = self.fixed
        if let text = ProcFileReader.contents(of: "\(self.procRoot)/self/stat"), let stat = ProcessStatsParser.parseStat(text) {
            info.residentMemoryBytes = stat.residentPages * ProcFileReader.pageSize
            info.threads = Int(stat.threads)
        }
        return info
    }

    /// `uname`'s system name, release and machine, e.g. `Linux 6.1.0-18-amd64 x86_64`.
    private static func operatingSystem() -> String {
        var names = utsname()
        guard uname(&names) == 0 else { return "unknown" }
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return "\(field(names.sysname)) \(field(names.release)) \(field(names.machine))"
    }

    /// `gethostname` (no DNS lookup, unlike `ProcessInfo.hostName`).
    private static func hostName() -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
    }
}
