import CZlib
import NIOCore

/// gzip (RFC 1952) through the system zlib, for compressed scrapes.
enum Gzip {
    /// Compresses `input`; nil if zlib fails (the caller then sends it uncompressed).
    static func compress(_ input: String, level: Int32 = 6) -> ByteBuffer? {
        var stream = z_stream()
        guard czlib_deflate_init_gzip(&stream, level) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        var source = input
        return source.withUTF8 { bytes -> ByteBuffer? in
            let bound = Int(deflateBound(&stream, UInt(bytes.count))) + 32
            var output = ByteBuffer()
            var finished = false
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { out in
                stream.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress)
                stream.avail_in = UInt32(bytes.count)
                stream.next_out = out.baseAddress?.assumingMemoryBound(to: UInt8.self)
                stream.avail_out = UInt32(out.count)
                let result = deflate(&stream, Z_FINISH)
                finished = result == Z_STREAM_END
                return finished ? out.count - Int(stream.avail_out) : 0
            }
            return finished ? output : nil
        }
    }
}
