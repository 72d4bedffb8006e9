import Foundation

/// The name of a snapshot file: `kvstore-<node>-<sequence>-<time>.json[.gz]`.
///
/// The sequence is zero-padded to 12 digits so that a node's names sort by sequence; the time is
/// the snapshot's UTC time in compact form (`20261129T010203.456Z`). Example:
/// `kvstore-node-1-000000000042-20261129T010203.456Z.json`.
public struct SnapshotFileName: Hashable, Sendable, CustomStringConvertible {
    /// Every snapshot name starts with this.
    public static let prefix = "kvstore-"
    /// Temporary files start with this; readers ignore them.
    public static let temporaryPrefix = ".tmp-"
    /// Digits the sequence is padded to.
    public static let sequenceDigits = 12
    /// The longest node component a name carries (longer ids are cut).
    public static let maxNodeLength = 64

    /// The node as it appears in the name (see `nameComponent(forNode:)`).
    public var node: String
    /// The snapshot's sequence number.
    public var sequence: UInt64
    /// The snapshot's time, to the millisecond.
    public var time: Date
    /// Whether the file is gzip-compressed (`.json.gz`).
    public var isCompressed: Bool

    /// A name for a node's snapshot; `node` is made safe with `nameComponent(forNode:)`.
    public init(node: String, sequence: UInt64, time: Date, isCompressed: Bool = false) {
        self.node = Self.nameComponent(forNode: node)
        self.sequence = sequence
        self.time = time
        self.isCompressed = isCompressed
    }

    /// Parses a file name; nil when it is not a snapshot name.
    public init?(parsing name: String) {
        guard name.hasPrefix(Self.prefix) else { return nil }
        var stem = Substring(name.dropFirst(Self.prefix.count))
        if stem.hasSuffix(".json.gz") {
            isCompressed = true
            stem = stem.dropLast(".json.gz".count)
        } else if stem.hasSuffix(".json") {
            isCompressed = false
            stem = stem.dropLast(".json".count)
        } else {
            return nil
        }
        guard let timeDash = stem.lastIndex(of: "-"),
              let time = SnapshotTime.parseCompact(String(stem[stem.index(after: timeDash)...])) else { return nil }
        let rest = stem[..<timeDash]
        guard let sequenceDash = rest.lastIndex(of: "-") else { return nil }
        let digits = rest[rest.index(after: sequenceDash)...]
        guard digits.count >= Self.sequenceDigits, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let sequence = UInt64(digits) else { return nil }
        let node = String(rest[..<sequenceDash])
        guard !node.isEmpty, Self.nameComponent(forNode: node) == node else { return nil }
        self.node = node
        self.sequence = sequence
        self.time = time
    }

    /// The file name.
    public var description: String {
        let digits = String(sequence)
        let padding = String(repeating: "0", count: max(0, Self.sequenceDigits - digits.count))
        return "\(Self.prefix)\(node)-\(padding)\(digits)-\(SnapshotTime.formatCompact(time)).json\(isCompressed ? ".gz" : "")"
    }

    /// Whether `name` is a snapshot writer's temporary file.
    public static func isTemporary(_ name: String) -> Bool {
        name.hasPrefix(temporaryPrefix)
    }

    /// Whether `name` is a dot-file (`.gitkeep`, a temporary file): never a snapshot, and readers ignore it.
    public static func isHidden(_ name: String) -> Bool {
        name.hasPrefix(".")
    }

    /// The node id as it appears in file names: ASCII letters, digits, `.`, `_` and `-` are kept,
    /// any other character becomes `_`, and a leading `.` becomes `_`; an empty id becomes `node`.
    public static func nameComponent(forNode node: String) -> String {
        guard !node.isEmpty else { return "node" }
        var result = String(node.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": Character(scalar)
            default: "_"
            }
        })
        if result.hasPrefix(".") { result = "_" + result.dropFirst() }
        return result.count > maxNodeLength ? String(result.prefix(maxNodeLength)) : result
    }
}
