/// A file a reader passed over, and why.
public struct SkippedSnapshotFile: Sendable, Equatable, CustomStringConvertible {
    /// The file name (no folder).
    public var name: String
    /// What is wrong with it (`error.code` to match on).
    public var error: SnapshotError

    public init(name: String, error: SnapshotError) {
        self.name = name
        self.error = error
    }

    /// One line: `empty`, `truncated JSON (…)`, `unknown schema "…"`, `too large: …`, ….
    public var reason: String { error.message }

    /// `name: reason`.
    public var description: String { "\(name): \(reason)" }
}
