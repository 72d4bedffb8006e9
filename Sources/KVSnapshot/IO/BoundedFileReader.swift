import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole regular file, refusing one larger than a limit before reading any of it.
enum BoundedFileReader {
    /// The bytes of `directory/name`. Links are not followed and nothing but a regular file is
    /// opened (a FIFO would block). Throws `.empty`, `.tooLarge`, `.notRegularFile` or `.io`.
    static func read(directory: String, name: String, limit: Int) throws -> Data {
        let path = directory + "/" + name
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ELOOP { throw SnapshotError(.notRegularFile, file: name, message: "a symbolic link, not a file") }
            throw SystemError.io("open", path, file: name)
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SystemError.io("stat", path, file: name) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw SnapshotError(.notRegularFile, file: name, message: "not a regular file")
        }
        let size = Int(info.st_size)
        if size == 0 { throw SnapshotError(.empty, file: name, message: "empty") }
        if size > limit { throw tooLarge(name, size: size, limit: limit) }

        // The file may grow after fstat: read at most limit + 1 bytes to notice.
        var data = Data(count: size + 1)
        var total = 0
        while true {
            if total == data.count {
                if total > limit { throw tooLarge(name, size: total, limit: limit) }
                data.count = min(limit + 1, data.count * 2)
            }
            let count = data.withUnsafeMutableBytes { buffer in
                readBytes(descriptor, buffer.baseAddress! + total, buffer.count - total)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemError.io("read", path, file: name)
            }
            if count == 0 { break }
            total += count
        }
        if total > limit { throw tooLarge(name, size: total, limit: limit) }
        if total == 0 { throw SnapshotError(.empty, file: name, message: "empty") }
        data.count = total
        return data
    }

    private static func tooLarge(_ name: String, size: Int, limit: Int) -> SnapshotError {
        SnapshotError(.tooLarge, file: name, message: "too large: \(size) bytes, the limit is \(limit)")
    }
}

private func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
