/// The byte layout of the readings index (`ReadingsIndex`): little-endian numbers, LEB128 counts and
/// integers, and strings as indices into one table per segment file, so that the labels every
/// snapshot repeats are stored, decoded and allocated once per segment, not once per file.
struct IndexByteWriter {
    private(set) var bytes: [UInt8] = []
    private(set) var strings: [String] = []
    private var stringIndex: [String: Int] = [:]

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func integer(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func count(_ value: Int) { integer(UInt64(value)) }

    mutating func double(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A string, as its index in the table (added on first use).
    mutating func string(_ value: String) {
        if let index = stringIndex[value] { return count(index) }
        stringIndex[value] = strings.count
        count(strings.count)
        strings.append(value)
    }

    /// A string's bytes in place, for the table itself.
    mutating func literal(_ value: String) {
        count(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }

    mutating func append(_ other: [UInt8]) { bytes.append(contentsOf: other) }
}

/// Reads what `IndexByteWriter` wrote; every read is bounds-checked and throws `IndexBytesError` past
/// the end or on a value out of range, so a damaged file is refused, never trusted.
struct IndexByteReader {
    private let buffer: UnsafeRawBufferPointer
    private(set) var offset: Int
    var strings: [String] = []

    init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.buffer = buffer
        self.offset = offset
    }

    var isAtEnd: Bool { offset == buffer.count }

    mutating func byte() throws -> UInt8 {
        guard offset < buffer.count else { throw IndexBytesError() }
        defer { offset += 1 }
        return buffer[offset]
    }

    mutating func bool() throws -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw IndexBytesError()
        }
    }

    mutating func integer() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw IndexBytesError() }
            value |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// A count of items that follow, each at least one byte: larger than the bytes left is damage.
    mutating func count() throws -> Int {
        let value = try integer()
        guard value <= UInt64(buffer.count - offset) else { throw IndexBytesError() }
        return Int(value)
    }

    mutating func double() throws -> Double {
        guard buffer.count - offset >= 8 else { throw IndexBytesError() }
        defer { offset += 8 }
        return Double(bitPattern: UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
    }

    mutating func string() throws -> String {
        let index = try integer()
        guard index < UInt64(strings.count) else { throw IndexBytesError() }
        return strings[Int(index)]
    }

    mutating func literal() throws -> String {
        let length = try count()
        defer { offset += length }
        return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + length]), as: UTF8.self)
    }
}

/// A readings index file that is not what `IndexByteWriter` wrote (damaged, cut short, or of another
/// version): the index is set aside and the snapshots are read instead.
struct IndexBytesError: Error {}

/// FNV-1a, 64 bits: the index's check that a segment's bytes are the bytes written.
enum IndexChecksum {
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
