/// Resource usage of one process, as read from `/proc`; a field is nil when it could not be read.
public struct ProcessStats: Sendable, Equatable {
    /// Resident set size in bytes.
    public var residentMemoryBytes: Double?
    /// Virtual memory size in bytes.
    public var virtualMemoryBytes: Double?
    /// User plus system CPU time in seconds.
    public var cpuSeconds: Double?
    /// Open file descriptors.
    public var openFDs: Double?
    /// Soft limit on open file descriptors (`+Inf` when unlimited).
    public var maxFDs: Double?
    /// Start time in seconds since the Unix epoch.
    public var startTimeSeconds: Double?
    /// Operating-system threads.
    public var threads: Double?

    /// Creates stats with every field unknown.
    public init() {}
}
