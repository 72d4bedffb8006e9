#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The system calls whose failures matter for atomicity, behind closures so that tests can make
/// them fail (a full disk, a short write, a failing fsync or rename). `.live` calls the C library.
///
/// Each returns what the C function returns and leaves the error in `errno`.
struct SystemCalls: Sendable {
    var write: @Sendable (_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int
    var fsync: @Sendable (_ descriptor: Int32) -> Int32
    var rename: @Sendable (_ from: String, _ to: String) -> Int32

    static let live = SystemCalls(
        write: { descriptor, bytes in systemWrite(descriptor, bytes) },
        fsync: { descriptor in systemFsync(descriptor) },
        rename: { from, to in systemRename(from, to) }
    )
}

private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
    write(descriptor, bytes.baseAddress, bytes.count)
}

private func systemFsync(_ descriptor: Int32) -> Int32 {
    fsync(descriptor)
}

private func systemRename(_ from: String, _ to: String) -> Int32 {
    rename(from, to)
}

/// Errors from system calls, as snapshot errors.
enum SystemError {
    /// The current `errno`.
    static var current: Int32 { errno }

    /// `<operation> <path>: <strerror> (errno N)` as a `.io` error about `file`.
    static func io(_ operation: String, _ path: String, file: String, code: Int32 = errno) -> SnapshotError {
        SnapshotError(.io, file: file, errno: code, message: "\(operation) \(path): \(text(code)) (errno \(code))")
    }

    /// The system's text for an error number.
    static func text(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
