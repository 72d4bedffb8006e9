#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads `/proc` pseudo-files (which report size 0) and counts directory entries, with libc.
enum ProcFileReader {
    /// The whole file as UTF-8 text, or nil if it cannot be opened.
    static func contents(of path: String, limit: Int = 1 << 20) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8]()
        // Not zeroed first: every scrape reads four of these files.
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
        defer { chunk.deallocate() }
        while bytes.count < limit {
            let count = read(fd, chunk.baseAddress, chunk.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Entries of a directory other than `.` and `..` (less the one used to read it when
    /// `excludingOwnFD`), or nil if it cannot be opened.
    static func entryCount(of path: String, excludingOwnFD: Bool) -> Int? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDot { count += 1 }
        }
        return excludingOwnFD ? max(0, count - 1) : count
    }

    /// Clock ticks per second (`_SC_CLK_TCK`).
    static var clockTicksPerSecond: Double {
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        return ticks > 0 ? Double(ticks) : 100
    }

    /// The memory page size in bytes.
    static var pageSize: Double {
        let size = sysconf(Int32(_SC_PAGESIZE))
        return size > 0 ? Double(size) : 4096
    }
}
