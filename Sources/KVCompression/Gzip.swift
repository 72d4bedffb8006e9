import CZlib
import Foundation

/// gzip (RFC 1952) through the system zlib: compressed scrapes and `.json.gz` snapshots.
public enum Gzip {
    /// Why zlib refused: a code to match on (`failure.code == .tooLarge`) and one readable line.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// What went wrong, for matching.
        public struct Code: Hashable, Sendable, CustomStringConvertible {
            private enum Value: String {
                case initialization, compression, tooLarge, invalidData
            }

            private let value: Value
            private init(_ value: Value) { self.value = value }

            /// zlib could not set up a stream (`deflateInit2` or `inflateInit2` failed).
            public static let initialization = Code(.initialization)
            /// Compression did not finish.
            public static let compression = Code(.compression)
            /// The decompressed data would exceed the caller's limit (a gzip bomb stops here).
            public static let tooLarge = Code(.tooLarge)
            /// The input is not valid gzip data (corrupt, truncated, or another format).
            public static let invalidData = Code(.invalidData)

            public var description: String { value.rawValue }
        }

        /// What went wrong.
        public let code: Code
        /// One line saying what zlib refused.
        public let message: String

        /// Creates a failure.
        public init(_ code: Code, message: String) {
            self.code = code
            self.message = message
        }

        /// One line saying what zlib refused.
        public var description: String { message }
    }

    /// Compresses `input` into one gzip member.
    public static func compress(_ input: some ContiguousBytes, level: Int32 = 6) throws -> Data {
        var stream = z_stream()
        guard czlib_deflate_init_gzip(&stream, level) == Z_OK else { throw Failure(.initialization, message: "deflateInit2 failed") }
        defer { deflateEnd(&stream) }
        return try input.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Data in
            var output = Data(count: Int(deflateBound(&stream, UInt(bytes.count))) + 32)
            let produced = output.withUnsafeMutableBytes { (out: UnsafeMutableRawBufferPointer) -> Int in
                stream.next_in = UnsafeMutablePointer(mutating: bytes.bindMemory(to: UInt8.self).baseAddress)
                stream.avail_in = UInt32(bytes.count)
                stream.next_out = out.bindMemory(to: UInt8.self).baseAddress
                stream.avail_out = UInt32(out.count)
                return deflate(&stream, Z_FINISH) == Z_STREAM_END ? out.count - Int(stream.avail_out) : -1
            }
            guard produced >= 0 else { throw Failure(.compression, message: "deflate did not finish") }
            output.count = produced
            return output
        }
    }

    /// Compresses a string's UTF-8 bytes.
    public static func compress(_ text: String) throws -> Data {
        try compress(Data(text.utf8))
    }

    /// Decompresses gzip data, refusing to produce more than `maxOutputBytes` (a gzip bomb stops there).
    public static func decompress(_ input: Data, maxOutputBytes: Int) throws -> Data {
        var stream = z_stream()
        guard czlib_inflate_init_gzip(&stream) == Z_OK else { throw Failure(.initialization, message: "inflateInit2 failed") }
        defer { inflateEnd(&stream) }
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        try input.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(mutating: bytes.bindMemory(to: UInt8.self).baseAddress)
            stream.avail_in = UInt32(bytes.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                if output.count + produced > maxOutputBytes {
                    throw Failure(.tooLarge, message: "decompressed data exceeds \(maxOutputBytes) bytes")
                }
                output.append(contentsOf: chunk[0..<produced])
                if status == Z_STREAM_END { return }
                if status != Z_OK || (produced == 0 && stream.avail_in == 0) {
                    throw Failure(.invalidData, message: "not valid gzip data (zlib status \(status))")
                }
            }
        }
        return output
    }
}
