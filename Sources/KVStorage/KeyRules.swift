/// The rules every key obeys, in every store.
public enum KeyRules {
    /// The longest key in bytes (LMDB's compile-time key limit).
    public static let maxKeyBytes = 511

    /// Throws `invalidKey` unless `key` is 1–511 bytes of UTF-8 without control characters,
    /// and is not `.` or `..` (which URLs cannot carry as one path segment).
    public static func validate(_ key: String) throws(StorageError) {
        let count = key.utf8.count
        if count == 0 { throw .invalidKey("key must not be empty") }
        if count > maxKeyBytes { throw .invalidKey("key is \(count) bytes; the limit is \(maxKeyBytes)") }
        if count <= 2, key.utf8.allSatisfy({ $0 == UInt8(ascii: ".") }) { throw .invalidKey("'.' and '..' are not allowed as keys") }
        for byte in key.utf8 where byte < 0x20 || byte == 0x7F {
            throw .invalidKey("key contains a control character (byte 0x\(String(byte, radix: 16)))")
        }
    }
}
