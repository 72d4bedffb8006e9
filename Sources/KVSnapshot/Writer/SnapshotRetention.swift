import Foundation

/// Bounds on a node's snapshot archive: how many files, how many bytes, how old.
///
/// Applied after each write to the writer's own node. The newest file (highest sequence) is
/// never removed, whatever the bounds; the oldest (lowest sequence) go first.
public struct SnapshotRetention: Sendable, Equatable {
    /// Keep at most this many files (nil: no bound).
    public var maxFiles: Int?
    /// Keep at most this many bytes in all (nil: no bound).
    public var maxBytes: Int?
    /// Remove files whose snapshot time (from the name) is more than this many seconds old (nil: no bound).
    public var maxAge: TimeInterval?

    /// Creates bounds; nil means unbounded.
    public init(maxFiles: Int? = nil, maxBytes: Int? = nil, maxAge: TimeInterval? = nil) {
        self.maxFiles = maxFiles
        self.maxBytes = maxBytes
        self.maxAge = maxAge
    }

    /// Why retention removed a file.
    public enum Reason: String, Sendable, Equatable {
        /// More than `maxFiles`.
        case count
        /// More than `maxBytes`.
        case bytes
        /// Older than `maxAge`.
        case age
    }

    /// One file retention removes, and why.
    public struct Removal: Sendable, Equatable {
        public var file: SnapshotFileInfo
        public var reason: Reason
    }

    /// The files to remove from one node's `files` at `now`, oldest first. Pure: touches no disk.
    public func removals(from files: [SnapshotFileInfo], now: Date) -> [Removal] {
        let ordered = files.sorted(by: SnapshotFileInfo.inSequenceOrder)
        guard let newest = ordered.last else { return [] }
        var kept = Array(ordered.dropLast())
        var removals: [Removal] = []

        if let maxAge {
            let cutoff = now.addingTimeInterval(-maxAge)
            removals += kept.filter { $0.time < cutoff }.map { Removal(file: $0, reason: .age) }
            kept.removeAll { $0.time < cutoff }
        }
        if let maxFiles {
            let excess = max(0, kept.count + 1 - max(maxFiles, 1))
            removals += kept.prefix(excess).map { Removal(file: $0, reason: .count) }
            kept.removeFirst(min(excess, kept.count))
        }
        if let maxBytes {
            var total = kept.reduce(newest.bytes) { $0 + $1.bytes }
            while total > maxBytes, let oldest = kept.first {
                removals.append(Removal(file: oldest, reason: .bytes))
                total -= oldest.bytes
                kept.removeFirst()
            }
        }
        return removals
    }
}
