import Foundation
import KVSnapshot

/// A real gzip format with "stored" (uncompressed) deflate blocks: valid gzip that any gunzip reads,
/// with no zlib. Decompression handles only stored blocks, which is all this writes.
struct StoredGzip: SnapshotCompression {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func compress(_ data: Data) throws -> Data {
        var out = Data([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF])
        let bytes = [UInt8](data)
        var offset = 0
        repeat {
            let length = min(65_535, bytes.count - offset)
            let isFinal = offset + length == bytes.count
            out.append(isFinal ? 0x01 : 0x00)
            out.append(contentsOf: Self.littleEndian(UInt32(length), bytes: 2))
            out.append(contentsOf: Self.littleEndian(UInt32(~UInt16(length)), bytes: 2))
            out.append(contentsOf: bytes[offset..<offset + length])
            offset += length
        } while offset < bytes.count
        out.append(contentsOf: Self.littleEndian(Self.crc32(bytes), bytes: 4))
        out.append(contentsOf: Self.littleEndian(UInt32(truncatingIfNeeded: bytes.count), bytes: 4))
        return out
    }

    func decompress(_ data: Data, maxOutputBytes: Int) throws -> Data {
        let bytes = [UInt8](data)
        guard bytes.count >= 18, bytes[0] == 0x1F, bytes[1] == 0x8B, bytes[2] == 8, bytes[3] == 0 else {
            throw Failure(description: "not a stored gzip member")
        }
        var index = 10
        var out: [UInt8] = []
        while true {
            guard index + 5 <= bytes.count else { throw Failure(description: "unexpected end of data") }
            let header = bytes[index]
            guard header & 0b110 == 0 else { throw Failure(description: "only stored blocks are supported") }
            let length = Int(bytes[index + 1]) | Int(bytes[index + 2]) << 8
            let check = Int(bytes[index + 3]) | Int(bytes[index + 4]) << 8
            guard length ^ check == 0xFFFF else { throw Failure(description: "bad block length") }
            index += 5
            guard index + length <= bytes.count else { throw Failure(description: "unexpected end of data") }
            guard out.count + length <= maxOutputBytes else { throw Failure(description: "output over \(maxOutputBytes) bytes") }
            out += bytes[index..<index + length]
            index += length
            if header & 1 == 1 { break }
        }
        guard index + 8 == bytes.count else { throw Failure(description: "bad trailer") }
        let crc = bytes[index..<index + 4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard crc == Self.crc32(out) else { throw Failure(description: "CRC mismatch") }
        return Data(out)
    }

    private static func littleEndian(_ value: UInt32, bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        ~bytes.reduce(~UInt32(0)) { crc, byte in table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    }
}
