import Foundation

/// A snapshot file as a listing sees it: what its name says, and its size. Nothing is read.
public struct SnapshotFileInfo: Hashable, Sendable {
    /// The file name (no folder).
    public var name: String
    /// The node component of the name.
    public var node: String
    /// The sequence number in the name.
    public var sequence: UInt64
    /// The snapshot time in the name (millisecond precision).
    public var time: Date
    /// The file's size in bytes.
    public var bytes: Int
    /// Whether the name ends in `.json.gz`.
    public var isCompressed: Bool
    /// The file's modification time, when it was listed from its folder (nil otherwise).
    public var modified: Date?

    /// Describes a file from its parsed name and size.
    public init(name: SnapshotFileName, bytes: Int, modified: Date? = nil) {
        self.name = name.description
        self.node = name.node
        self.sequence = name.sequence
        self.time = name.time
        self.bytes = bytes
        self.isCompressed = name.isCompressed
        self.modified = modified
    }

    /// Two infos are of the same file when name and size agree; the modification time, known only
    /// to a listing, is not compared (a writer's info equals the listing's of the file it wrote).
    public static func == (lhs: SnapshotFileInfo, rhs: SnapshotFileInfo) -> Bool {
        lhs.name == rhs.name && lhs.bytes == rhs.bytes
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(bytes)
    }

    /// Orders files by node, then sequence, then name.
    public static func inSequenceOrder(_ lhs: SnapshotFileInfo, _ rhs: SnapshotFileInfo) -> Bool {
        (lhs.node, lhs.sequence, lhs.name) < (rhs.node, rhs.sequence, rhs.name)
    }
}
