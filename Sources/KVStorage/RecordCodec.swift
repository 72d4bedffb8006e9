/// The bytes of a record in LMDB: a fixed header, then the value (see `LMDBLayout`).
///
/// Header (33 bytes, little-endian): format byte `1`, create_revision (8), mod_revision (8),
/// version (8), expires_at in milliseconds since 1970 or 0 (8).
enum RecordCodec {
    static let format: UInt8 = 1
    static let headerSize = 33

    /// Writes `header` and `value` into `buffer`, which holds exactly `headerSize + value.count` bytes.
    static func encode(_ header: RecordHeader, _ value: [UInt8], into buffer: UnsafeMutableRawBufferPointer) {
        buffer[0] = format
        buffer.storeBytes(of: UInt64(bitPattern: header.createRevision).littleEndian, toByteOffset: 1, as: UInt64.self)
        buffer.storeBytes(of: UInt64(bitPattern: header.modRevision).littleEndian, toByteOffset: 9, as: UInt64.self)
        buffer.storeBytes(of: UInt64(bitPattern: header.version).littleEndian, toByteOffset: 17, as: UInt64.self)
        buffer.storeBytes(of: UInt64(bitPattern: header.expiresAtMs).littleEndian, toByteOffset: 25, as: UInt64.self)
        if !value.isEmpty {
            value.withUnsafeBytes { source in
                UnsafeMutableRawBufferPointer(rebasing: buffer[headerSize...]).copyMemory(from: source)
            }
        }
    }

    /// The header and value as one array (tests and the migration).
    static func encoded(_ header: RecordHeader, _ value: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: headerSize + value.count) { buffer, count in
            encode(header, value, into: UnsafeMutableRawBufferPointer(buffer))
            count = headerSize + value.count
        }
    }

    /// The header of stored bytes; nil when they are not a record of this format.
    static func header(_ bytes: UnsafeRawBufferPointer) -> RecordHeader? {
        guard bytes.count >= headerSize, bytes[0] == format else { return nil }
        func field(_ offset: Int) -> Int64 {
            Int64(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
        }
        return RecordHeader(createRevision: field(1), modRevision: field(9), version: field(17), expiresAtMs: field(25))
    }

    /// The value bytes after the header (the caller checked the header).
    static func value(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        Array(bytes[headerSize...])
    }

    /// Header and value of stored bytes; nil when they are not a record of this format.
    static func record(_ bytes: UnsafeRawBufferPointer) -> StoredRecord? {
        guard let header = header(bytes) else { return nil }
        return StoredRecord(header: header, value: value(bytes))
    }

    static func corrupted(_ key: [UInt8]) -> StorageError {
        StorageError(.io, "the record of key \(String(decoding: key, as: UTF8.self)) is not in record format \(format)")
    }
}
