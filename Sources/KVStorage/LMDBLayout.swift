/// The on-disk layout of an `LMDBStore` data folder (layout 2).
///
/// Everything lives in LMDB's one unnamed database, in three disjoint key ranges:
///
/// - **User records**: the key's UTF-8 bytes (never below 0x20: `KeyRules` forbids control
///   characters) → a 33-byte `RecordCodec` header (format byte `1`; create_revision,
///   mod_revision, version, expires_at in ms since 1970 or 0; little-endian) + the value bytes.
/// - **Metadata**, keys starting with 0x00:
///   - `0x00 "layout"` → the layout number, UInt32 little-endian (2). Absent in layout 1.
///   - `0x00 "state"` → the store revision and the number of user records, two UInt64
///     little-endian; rewritten by every commit that writes.
///   - `0x00 "kvstore-health-probe"` exists only inside the probe's own transaction.
/// - **Expiry index**, keys starting with 0x01: `0x01` + expires_at ms (UInt64 big-endian, so
///   byte order is time order) + the user key → empty value. One entry per record with an expiry.
///   A user key over 502 bytes does not fit after the 9-byte prefix (LMDB keys are at most 511
///   bytes): its index key holds the key's first 494 bytes and its 64-bit FNV-1a hash, and the
///   value holds the whole key.
///
/// Layout 1 (releases before revisions) stored user key → raw value bytes and nothing else;
/// `LMDBLayoutMigration` rewrites such a folder in place, once, at open.
enum LMDBLayout {
    /// The layout this release writes.
    static let current: UInt32 = 2
    static let layoutKey: [UInt8] = [0] + Array("layout".utf8)
    static let stateKey: [UInt8] = [0] + Array("state".utf8)
    static let expiryPrefix: UInt8 = 1
    /// The smallest user key: listings start here, past the metadata and the expiry index.
    static let firstUserKey: [UInt8] = [0x20]

    /// Whether `key` (its first byte) belongs to the user key range.
    static func isUserKey(_ key: UnsafeRawBufferPointer) -> Bool { key.first.map { $0 >= 0x20 } ?? false }

    /// The store revision and the number of user records (expired ones not yet swept included).
    struct State: Equatable {
        var revision: Int64
        var keys: Int

        var encoded: [UInt8] {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(16)
            withUnsafeBytes(of: UInt64(bitPattern: revision).littleEndian) { bytes += $0 }
            withUnsafeBytes(of: UInt64(keys).littleEndian) { bytes += $0 }
            return bytes
        }

        init(revision: Int64, keys: Int) {
            self.revision = revision
            self.keys = keys
        }

        init?(_ bytes: UnsafeRawBufferPointer) {
            guard bytes.count == 16 else { return nil }
            revision = Int64(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)))
            keys = Int(truncatingIfNeeded: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
    }

    static func encodedLayout(_ layout: UInt32) -> [UInt8] {
        withUnsafeBytes(of: layout.littleEndian) { Array($0) }
    }

    static func decodeLayout(_ bytes: UnsafeRawBufferPointer) -> UInt32? {
        guard bytes.count == 4 else { return nil }
        return UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self))
    }

    /// The longest user key stored whole in an expiry index key.
    static let longestIndexedKey = KeyRules.maxKeyBytes - 9

    /// The expiry index entry (key and value) of `key` expiring at `expiresAtMs`.
    static func expiryEntry(_ key: [UInt8], _ expiresAtMs: Int64) -> (key: [UInt8], value: [UInt8]) {
        var bytes: [UInt8] = [expiryPrefix]
        bytes.reserveCapacity(9 + min(key.count, longestIndexedKey))
        withUnsafeBytes(of: UInt64(bitPattern: expiresAtMs).bigEndian) { bytes += $0 }
        if key.count <= longestIndexedKey { return (bytes + key, []) }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        bytes += key.prefix(longestIndexedKey - 8)
        withUnsafeBytes(of: hash.bigEndian) { bytes += $0 }
        return (bytes, key)
    }

    /// The expiry time and user key of an expiry index entry; nil for any other key.
    static func decodeExpiryEntry(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> (Int64, [UInt8])? {
        guard key.count > 9, key[0] == expiryPrefix else { return nil }
        let ms = Int64(bitPattern: UInt64(bigEndian: key.loadUnaligned(fromByteOffset: 1, as: UInt64.self)))
        return (ms, value.isEmpty ? Array(key[9...]) : Array(value))
    }
}
