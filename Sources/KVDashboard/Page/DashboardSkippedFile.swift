import KVSnapshot

/// A snapshot file the reader could not use, and why (listed on the page).
public struct DashboardSkippedFile: Sendable, Equatable {
    public var name: String
    public var reason: String

    public init(name: String, reason: String) {
        self.name = name
        self.reason = reason
    }

    /// The archive's report of a skipped file.
    public init(_ skipped: SkippedSnapshotFile) {
        self.init(name: skipped.name, reason: skipped.reason)
    }
}
