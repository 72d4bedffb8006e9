/// Why a storage operation failed.
public struct StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Machine-readable category, stable across releases.
    public enum Code: String, Sendable {
        case invalidKey = "invalid_key"
        case valueTooLarge = "value_too_large"
        case quotaExceeded = "quota_exceeded"
        case closed = "storage_closed"
        /// A commit, sync or map resize failed: writes are refused until restart, reads go on.
        case readOnly = "storage_read_only"
        /// The store cannot be read or written (the LMDB map was lost in a failed resize).
        case unavailable = "storage_unavailable"
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
