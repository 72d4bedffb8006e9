/// Why a storage operation failed.
public struct StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Machine-readable category, stable across releases; match with `error.code == .readOnly`.
    ///
    /// Unlike the library errors' struct codes, this stays an enum: its `rawValue` is the `code` of the
    /// HTTP JSON error body, and the server's one mapping to statuses (`APIError.init(_: StorageError)`)
    /// switches over it exhaustively, so a new code cannot ship without a status.
    public enum Code: String, Sendable {
        /// The key is empty, too long, or holds a byte the key rules refuse.
        case invalidKey = "invalid_key"
        /// The value is larger than `storage.max_value_bytes`.
        case valueTooLarge = "value_too_large"
        /// The write would take the store past `storage.quota_bytes`.
        case quotaExceeded = "quota_exceeded"
        /// The store has been closed (shutdown).
        case closed = "storage_closed"
        /// A commit, sync or map resize failed: writes are refused until restart, reads go on.
        case readOnly = "storage_read_only"
        /// The store cannot be read or written (the LMDB map was lost in a failed resize).
        case unavailable = "storage_unavailable"
        /// A system or LMDB call failed.
        case io = "storage_error"
    }
    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { "\(code.rawValue): \(message)" }

    static func invalidKey(_ message: String) -> StorageError { .init(.invalidKey, message) }
    static let closed = StorageError(.closed, "the store is closed")
}
