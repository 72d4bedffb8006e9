/// Why a snapshot could not be written, read or decoded: a code to match on, the file it concerns,
/// and one human-readable line.
public struct SnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for matching (`error.code == .unknownSchema`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case io, encoding, empty, truncated, malformed, invalid, unknownSchema, tooLarge
            case notSnapshotName, notRegularFile, compressedWithoutDecompressor, decompression, nameMismatch
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A system call failed (`errno` says which error).
        public static let io = Code(.io)
        /// The snapshot could not be turned into JSON.
        public static let encoding = Code(.encoding)
        /// The file has no bytes.
        public static let empty = Code(.empty)
        /// The JSON document stops before its end.
        public static let truncated = Code(.truncated)
        /// The bytes are not well-formed JSON.
        public static let malformed = Code(.malformed)
        /// Well-formed JSON that is not a valid snapshot (a missing field, a wrong type, a bad time).
        public static let invalid = Code(.invalid)
        /// The `schema` field names a format this library cannot read.
        public static let unknownSchema = Code(.unknownSchema)
        /// The file is larger than the reader's limit (checked before reading).
        public static let tooLarge = Code(.tooLarge)
        /// The file name does not have the shape `kvstore-<node>-<sequence>-<time>.json[.gz]`.
        public static let notSnapshotName = Code(.notSnapshotName)
        /// The name is a link, a folder entry of another kind, or a device: not read.
        public static let notRegularFile = Code(.notRegularFile)
        /// The file is gzip-compressed and no decompressor was supplied.
        public static let compressedWithoutDecompressor = Code(.compressedWithoutDecompressor)
        /// The decompressor rejected the file.
        public static let decompression = Code(.decompression)
        /// The document's node, sequence or time differs from its file name.
        public static let nameMismatch = Code(.nameMismatch)

        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// The file (or folder) concerned, when there is one.
    public let file: String?
    /// The system error number, for `.io`.
    public let errno: Int32?
    /// One line that says what happened, without the file name.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, file: String? = nil, errno: Int32? = nil, message: String) {
        self.code = code
        self.file = file
        self.errno = errno
        self.message = message
    }

    /// `file: message`, or just the message.
    public var description: String {
        if let file { "\(file): \(message)" } else { message }
    }

    /// The same error about another file.
    func about(_ file: String) -> SnapshotError {
        SnapshotError(code, file: file, errno: errno, message: message)
    }
}
