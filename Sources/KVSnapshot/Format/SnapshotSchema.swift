/// A snapshot format version: `kvstore.snapshot/<version>`.
///
/// Policy: any change to the format bumps the version (except an added optional section, such as
/// `cluster`, which older readers ignore), writers write only `current`, and readers
/// keep reading every version in `readable` (a new version adds a decoder for the old one and an
/// upgrade into the current model; see `SnapshotDocument`).
public struct SnapshotSchema: Hashable, Sendable, CustomStringConvertible {
    /// The part before the slash.
    public static let family = "kvstore.snapshot"
    /// Version 1.
    public static let v1 = SnapshotSchema(version: 1)
    /// The version this library writes.
    public static let current = v1
    /// The versions this library reads.
    public static let readable: Set<SnapshotSchema> = [v1]

    /// The number after the slash.
    public let version: Int

    /// A schema with the given version.
    public init(version: Int) {
        self.version = version
    }

    /// Parses `kvstore.snapshot/<version>`; nil for anything else (another family, no version,
    /// a version that is not a positive decimal number).
    public init?(identifier: String) {
        let prefix = Self.family + "/"
        guard identifier.hasPrefix(prefix) else { return nil }
        let number = identifier.dropFirst(prefix.count)
        guard !number.isEmpty, number.count <= 9, number.first != "0", number.allSatisfy({ $0.isASCII && $0.isNumber }),
              let version = Int(number) else { return nil }
        self.version = version
    }

    /// `kvstore.snapshot/<version>`.
    public var identifier: String { "\(Self.family)/\(version)" }

    /// Whether this library can read documents of this version.
    public var isReadable: Bool { Self.readable.contains(self) }

    public var description: String { identifier }
}
